import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { UnitOfWork } from '@recert/messaging';
import { Caller, CurrentCaller, Roles } from '@recert/platform';
import { ExtendAuditHandler } from './extend-audit.handler';

// The bounds of `days` are policy (R11): the handler's rule checks them and says which.
class ExtendAuditDto extends createZodDto(
  z.strictObject({
    days: z.number().int('an extension is a whole number of days'),
    reason: z.string().trim().min(1, 'an extension gives its reason').max(1000),
  }),
) {}

/** A reviewer extends an audit's documentation window, once, with a reason (R11, policy). */
@ApiTags('audits')
@Roles('reviewer')
@Controller('audits')
export class AuditExtensionHttpController {
  constructor(
    private readonly unitOfWork: UnitOfWork,
    private readonly extendAudit: ExtendAuditHandler,
  ) {}

  @Post(':applicationId/extend')
  @HttpCode(200)
  @ApiOperation({ summary: "Extend an open audit's last day once, by 1 to 30 days, with a reason (R11)." })
  extend(
    @Param('applicationId', ParseUUIDPipe) applicationId: string,
    @Body() body: ExtendAuditDto,
    @CurrentCaller() by: Caller,
  ) {
    return this.unitOfWork.run((scope) =>
      this.extendAudit.execute(scope, { applicationId, days: body.days, reason: body.reason, by }),
    );
  }
}
