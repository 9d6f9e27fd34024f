import { createParamDecorator, ExecutionContext, UnauthorizedException } from '@nestjs/common';
import type { RequestWithCaller } from './access.guard';
import { Caller } from './access-control';

/**
 * The authenticated caller of a staff action, as access control identified it: its name and
 * roles are recorded with the action (DOMAIN.md, "Who did it"). A route that reaches a handler
 * without one was left public by mistake, and is refused rather than recorded as nobody's.
 */
export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  const caller = context.switchToHttp().getRequest<RequestWithCaller>().caller;
  if (!caller)
    throw new UnauthorizedException('this action records who did it: a bearer token or a staff session is required');
  return caller;
});
