import { Controller, OnModuleInit } from '@nestjs/common';
import { AuditDocumentUploaded, PayloadOf, Topics } from '@recert/contracts';
import { IdempotentConsumer } from '@recert/messaging';
import { ReceiveDocumentHandler } from './receive-document.handler';

/** Supporting documents from the document store: metadata and a reference to the stored file (R11). */
@Controller()
export class AuditDocumentsMessageController implements OnModuleInit {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly receiveDocument: ReceiveDocumentHandler,
  ) {}

  onModuleInit(): void {
    this.consumer.handle(Topics.auditDocuments.name, {
      [AuditDocumentUploaded.type]: (envelope, scope) =>
        this.receiveDocument.execute(scope, envelope.payload as PayloadOf<typeof AuditDocumentUploaded>),
    });
  }
}
