import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { UnitOfWork } from '@recert/messaging';
import { Caller, CurrentCaller, Roles } from '@recert/platform';
import { DecideAuditHandler } from './decide-audit.handler';

class PassAuditDto extends createZodDto(z.strictObject({ note: z.string().max(1000).optional() })) {}
class FailAuditDto extends createZodDto(
  z.strictObject({ reason: z.string().trim().min(1, 'failing an audit gives its reason').max(1000) }),
) {}

/** A reviewer decides an audit (R11): pass (every document accepted) or fail (with the reason). */
@ApiTags('audits')
@Roles('reviewer')
@Controller('audits')
export class AuditDecisionHttpController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly decideAudit: DecideAuditHandler,
  ) {}

  @Post(':applicationId/pass')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Pass an audit whose every required document is in and accepted; 409 names what is not (R11).',
  })
  pass(
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Body() body: PassAuditDto,
    @CurrentCaller() by: Caller,
  ) {
    return this.unitOfWork.run((scope) =>
      this.decideAudit.execute(scope, { applicationId, outcome: 'pass', reason: body.note, by }),
    );
  }

  @Post(':applicationId/fail')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Fail an open audit, with the reason; the denial names each missing or rejected document (R11).',
  })
  fail(
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Body() body: FailAuditDto,
    @CurrentCaller() by: Caller,
  ) {
    return this.unitOfWork.run((scope) =>
      this.decideAudit.execute(scope, { applicationId, outcome: 'fail', reason: body.reason, by }),
    );
  }
}
