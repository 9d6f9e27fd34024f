import { DynamicModule, Module } from '@nestjs/common';
import { DeadlinesModule } from '@recert/deadlines';
import { MessagingModule, ServiceStartOptions } from '@recert/messaging';
import { PlatformModule } from '@recert/platform';
import { migrations } from './database/migrations';
import { CycleDeadlines } from './enforce-cycle-deadlines/cycle-deadlines';
import { ApplicationDecider } from './decide-application/application-decider';
import { CertificationsMessageController } from './record-certification/certifications.message.controller';
import { ApplicationMetrics } from './query-recertification/application-metrics';
import { RecertificationQueriesHttpController } from './query-recertification/recertification-queries.http.controller';
import { CeuEventsMessageController } from './judge-at-receipt/ceu-events.message.controller';
import { JudgeAtReceiptHandler } from './judge-at-receipt/judge-at-receipt.handler';
import { PortalSubmissionsMessageController } from './receive-application/portal-submissions.message.controller';
import { ReceiveApplicationHandler } from './receive-application/receive-application.handler';
import { RecordCertificationHandler } from './record-certification/record-certification.handler';
import { FinalWindowEnd } from './enforce-cycle-deadlines/final-window-end';
import { AuditEventsMessageController } from './track-audits/audit-events.message.controller';
import { PaymentEventsMessageController } from './track-payments/payment-events.message.controller';

/** Credentials, cycles and recertification applications: window, fee fixed at receipt, decision (R1, R8–R10, R12). */
@Module({})
export class ApplicationsModule {
  /** `env` is the environment to configure from (tests pass their own); process.env by default. */
  static forRoot(env: Record<string, string | undefined> = process.env): DynamicModule {
    return {
      module: ApplicationsModule,
      imports: [
        PlatformModule.forService({ service: 'applications', database: { entities: [], migrations }, env }),
        MessagingModule.forRoot(),
        DeadlinesModule.forService(),
      ],
      controllers: [
        CertificationsMessageController,
        PortalSubmissionsMessageController,
        CeuEventsMessageController,
        PaymentEventsMessageController,
        AuditEventsMessageController,
        RecertificationQueriesHttpController,
      ],
      providers: [
        RecordCertificationHandler,
        ReceiveApplicationHandler,
        JudgeAtReceiptHandler,
        ApplicationDecider,
        CycleDeadlines,
        FinalWindowEnd,
        ApplicationMetrics,
      ],
    };
  }
}

/** How the service starts (its own process, or the one-process host). */
export const APPLICATIONS_START_OPTIONS: ServiceStartOptions = {
  consumesEvents: true,
  description:
    'Credentials, cycles and recertification applications: window, fee tier at receipt, decision (R1, R8–R10, R12).',
};
