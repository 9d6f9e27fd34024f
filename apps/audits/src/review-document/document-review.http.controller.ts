import {
  Body,
  ConflictException,
  Controller,
  HttpCode,
  Inject,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Post,
} from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { Clock, CLOCK } from '@recert/clock';
import { UnitOfWork } from '@recert/messaging';
import { AuditEvaluator } from '../receive-document/audit-evaluator';

class RejectDocumentDto extends createZodDto(
  z.strictObject({ reason: z.string().trim().min(1, 'a rejection gives its reason').max(1000) }),
) {}

/**
 * Reviewers check what trainers upload (R11). A rejected document proves nothing: the trainer
 * must upload a good one before the audit's last day, or the audit fails at its deadline.
 */
@ApiTags('audits')
@Controller('audits')
export class DocumentReviewHttpController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly evaluator: AuditEvaluator,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(':applicationId/documents/:documentId/reject')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reject an uploaded document, with the reason, while the audit awaits documents (R11).' })
  reject(
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Param('documentId') documentId: string,
    @Body() body: RejectDocumentDto,
  ) {
    return this.unitOfWork.run(async (scope) => {
      await this.evaluator.lock(scope, applicationId);
      const [audit] = await scope.manager.query(`SELECT status FROM audits WHERE application_id = $1`, [applicationId]);
      if (!audit) throw new NotFoundException(`no audit draw for application ${applicationId}`);
      if (audit.status !== 'awaiting-documents')
        throw new ConflictException(`the audit is ${audit.status}: its documents are no longer reviewed`);
      const [, updated]: [unknown[], number] = await scope.manager.query(
        `UPDATE audit_documents SET rejected_reason = $3, rejected_at = $4
         WHERE application_id = $1 AND document_id = $2 AND rejected_at IS NULL`,
        [applicationId, documentId, body.reason, this.clock.now()],
      );
      if (updated === 0)
        throw new NotFoundException(`no document ${documentId} awaiting review for application ${applicationId}`);
      return { applicationId, documentId, rejected: true, reason: body.reason };
    });
  }
}
