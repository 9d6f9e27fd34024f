import { Injectable } from '@nestjs/common';
import { AuditDocumentUploaded, PayloadOf } from '@recert/contracts';
import { EventScope } from '@recert/messaging';
import { AuditLifecycle } from '../audit-lifecycle/audit-lifecycle';
import { AuditRepository } from '../database/audit.repository';

/**
 * R11: a supporting document from the document store. The last required one puts the audit under
 * review — a reviewer, never the upload, passes it. A document dated after the last day (in the
 * credential's time zone) is kept but counts for nothing.
 */
@Injectable()
export class ReceiveDocumentHandler {
  constructor(private readonly lifecycle: AuditLifecycle) {}

  async execute(scope: EventScope, d: PayloadOf<typeof AuditDocumentUploaded>): Promise<void> {
    const repository = new AuditRepository(scope.manager);
    await repository.lock(d.applicationId);
    await repository.insertDocument({
      documentId: d.documentId,
      applicationId: d.applicationId,
      trainerId: d.trainerId,
      kind: d.kind,
      completionId: d.completionId ?? null,
      storageRef: d.storageRef,
      uploadedAt: d.uploadedAt,
    });
    await this.lifecycle.refresh(scope, d.applicationId);
  }
}
