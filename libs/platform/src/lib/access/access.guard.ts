import { CanActivate, ExecutionContext, ForbiddenException, HttpException, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { Clock, CLOCK } from '@recert/clock';
import { RECERT_CONFIG, RecertConfig } from '../config/recert-config';
import { Access } from './access.decorator';
import { AccessDecision, Authenticators, authorize, Caller, Credentials, Requirement } from './access-control';
import { STAFF_IDENTITY_HEADER } from './staff-identity';

export type RequestWithCaller = Request & { caller?: Caller | null };

/**
 * Access control in every service and the gateway: each handler declares what it requires
 * (@Roles, @PublicRoute) and a handler that declares nothing is refused. It judges the handler the
 * router chose, so no spelling of a path (case, slashes, encodings) reaches a handler past it.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    // Kafka handlers: who may write a topic is the broker's ACLs' decision.
    if (context.getType() !== 'http') return true;
    const request = context.switchToHttp().getRequest<RequestWithCaller>();
    const requires = this.reflector.getAllAndOverride(Access, [context.getHandler(), context.getClass()]);
    if (requires === undefined)
      throw new ForbiddenException(`${request.method} ${request.path} declares no access, so it is refused`);
    const decision = authorize(
      authenticators(this.config, this.clock),
      requires,
      credentialsOf(request),
      describe(request),
    );
    refuseUnlessAllowed(decision, context.switchToHttp().getResponse<Response>());
    // Staff actions record who did them (DOMAIN.md, "Who did it"): handlers read it with @CurrentCaller().
    request.caller = decision.allowed ? decision.caller : null;
    return true;
  }
}

/**
 * The same decision for a router Nest does not see (Bull Board): every request through it
 * requires `requires`; `readOnly` refuses anything but reading (GET, HEAD) with 405.
 */
export function accessMiddleware(
  config: Pick<RecertConfig, 'apiCallers' | 'staffIdentitySecret'>,
  clock: Clock,
  requires: Requirement,
  options: { readOnly?: boolean } = {},
): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const decision = authorize(authenticators(config, clock), requires, credentialsOf(req), describe(req));
    if (!decision.allowed) {
      if (decision.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
      res.status(decision.status).json({ statusCode: decision.status, message: decision.message });
      return;
    }
    if (options.readOnly && req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      res.status(405).json({ statusCode: 405, message: `${describe(req)}: this view is read-only` });
      return;
    }
    (req as RequestWithCaller).caller = decision.caller;
    next();
  };
}

function authenticators(
  config: Pick<RecertConfig, 'apiCallers' | 'staffIdentitySecret'>,
  clock: Clock,
): Authenticators {
  return { callers: config.apiCallers, staffIdentitySecret: config.staffIdentitySecret, now: () => clock.now() };
}

/** What a request presents; a repeated header is no credential. */
export function credentialsOf(request: Request): Credentials {
  const identity = request.headers[STAFF_IDENTITY_HEADER];
  return {
    authorization: request.headers.authorization,
    staffIdentity: typeof identity === 'string' ? identity : undefined,
  };
}

/** The headers that carry a request's credentials on to another service (the gateway's own calls). */
export function forwardedCredentials(request: Request): Record<string, string> {
  const { authorization, staffIdentity } = credentialsOf(request);
  return {
    ...(authorization ? { authorization } : {}),
    ...(staffIdentity ? { [STAFF_IDENTITY_HEADER]: staffIdentity } : {}),
  };
}

function describe(request: Request): string {
  return `${request.method} ${request.originalUrl.split('?')[0]}`;
}

function refuseUnlessAllowed(decision: AccessDecision, response: Response): void {
  if (decision.allowed) return;
  if (decision.status === 401) response.setHeader('WWW-Authenticate', 'Bearer');
  throw new HttpException({ statusCode: decision.status, message: decision.message }, decision.status);
}
