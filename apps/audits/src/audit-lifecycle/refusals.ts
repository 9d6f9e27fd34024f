import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { Refusal } from '@recert/rules';

/** A rule's refusal as HTTP says it: bad input 400, the wrong moment 409. */
export function refuse(refusal: Refusal): never {
  throw refusal.refused === 'invalid'
    ? new BadRequestException(refusal.message)
    : new ConflictException(refusal.message);
}

export function noAudit(applicationId: string): never {
  throw new NotFoundException(`no audit draw for application ${applicationId}`);
}
