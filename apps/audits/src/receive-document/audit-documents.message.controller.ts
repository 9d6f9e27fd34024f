import { Controller } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { AuditDocumentUploaded, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { AuditEvaluator } from './audit-evaluator';

/** Supporting documents from the document store: metadata and a reference to the stored file (R11). */
@Controller()
export class AuditDocumentsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly evaluator: AuditEvaluator,
  ) {}

  @EventPattern(Topics.auditDocuments.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [AuditDocumentUploaded.type]: async (envelope, scope) => {
        const d = envelope.payload as PayloadOf<typeof AuditDocumentUploaded>;
        await this.evaluator.lock(scope, d.applicationId);
        await scope.manager.query(
          `INSERT INTO audit_documents (document_id, application_id, trainer_id, kind, completion_id, storage_ref, uploaded_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
          [d.documentId, d.applicationId, d.trainerId, d.kind, d.completionId ?? null, d.storageRef, d.uploadedAt],
        );
        await this.evaluator.evaluate(scope, d.applicationId);
      },
    });
  }
}
