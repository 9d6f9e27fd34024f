import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { UnitOfWork } from '@recert/messaging';
import { Caller, CurrentCaller, Roles } from '@recert/platform';
import { ReviewDocumentHandler } from './review-document.handler';

class AcceptDocumentDto extends createZodDto(z.strictObject({ note: z.string().max(1000).optional() })) {}
class RejectDocumentDto extends createZodDto(
  z.strictObject({ reason: z.string().trim().min(1, 'a rejection gives its reason').max(1000) }),
) {}

/** Reviewers check what trainers upload (R11): each document is accepted, or rejected with the reason. */
@ApiTags('audits')
@Roles('reviewer')
@Controller('audits')
export class DocumentReviewHttpController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly reviewDocument: ReviewDocumentHandler,
  ) {}

  @Post(':applicationId/documents/:documentId/accept')
  @HttpCode(200)
  @ApiOperation({ summary: 'Accept an uploaded document, with an optional note (R11).' })
  accept(
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Param('documentId') documentId: string,
    @Body() body: AcceptDocumentDto,
    @CurrentCaller() by: Caller,
  ) {
    return this.unitOfWork.run((scope) =>
      this.reviewDocument.execute(scope, { applicationId, documentId, verdict: 'accept', reason: body.note, by }),
    );
  }

  @Post(':applicationId/documents/:documentId/reject')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Reject an uploaded document, with the reason, while the audit awaits documents or is under review: it goes back to awaiting documents, same last day (R11).',
  })
  reject(
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Param('documentId') documentId: string,
    @Body() body: RejectDocumentDto,
    @CurrentCaller() by: Caller,
  ) {
    return this.unitOfWork.run((scope) =>
      this.reviewDocument.execute(scope, { applicationId, documentId, verdict: 'reject', reason: body.reason, by }),
    );
  }
}
