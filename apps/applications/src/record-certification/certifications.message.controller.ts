import { Controller, OnModuleInit } from '@nestjs/common';
import { PayloadOf, Topics, TrainerCertified } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { RecordCertificationHandler } from './record-certification.handler';

/** The exam system certified a trainer: a credential's first cycle (R1), or a new one after a lapse (R9). */
@Controller()
export class CertificationsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly recordCertification: RecordCertificationHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.examCertifications.name, {
      [TrainerCertified.type]: async (envelope, scope) => {
        await this.recordCertification.execute(scope, envelope.payload as PayloadOf<typeof TrainerCertified>);
      },
    });
  }
}
