import { Controller, OnModuleInit } from '@nestjs/common';
import { CourseApprovalFanOut, PayloadOf, RecomputeTrainerLedger, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { RegisterApprovedCourseHandler } from './register-approved-course.handler';

/** This service's own work items of a registry change: pages of trainers, then one recompute per trainer. */
@Controller()
export class CourseApprovalWorkMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly registry: RegisterApprovedCourseHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.ceuWork.name, {
      [CourseApprovalFanOut.type]: (envelope, scope) =>
        this.registry.fanOut(scope, envelope.payload as PayloadOf<typeof CourseApprovalFanOut>),
      [RecomputeTrainerLedger.type]: (envelope, scope) =>
        this.registry.recompute(scope, envelope.payload as PayloadOf<typeof RecomputeTrainerLedger>),
    });
  }
}
