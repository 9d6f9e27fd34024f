import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RECERT_CONFIG, RecertConfig } from '../config/recert-config';
import { Caller, decideAccess } from './access-control';

export type RequestWithCaller = Request & { caller?: Caller | null };

/**
 * Access control on every HTTP route, in every service (the gateway forwards the caller's
 * Authorization header, so a service reached directly refuses the same requests). It runs as
 * middleware, before the gateway's proxy and Bull Board, which Nest guards would not cover.
 */
@Injectable()
export class AccessControlMiddleware implements NestMiddleware {
  constructor(@Inject(RECERT_CONFIG) private readonly config: RecertConfig) {}

  use(req: Request, res: Response, next: NextFunction): void {
    // The gateway's public paths are the services' paths under /v1.
    const path = req.originalUrl.replace(/^\/v1(?=\/)/, '');
    const decision = decideAccess(this.config.apiCallers, req.method, path, req.headers.authorization);
    if (decision.allowed) {
      // Staff actions record who did them (DOMAIN.md, "Who did it"): handlers read it with @CurrentCaller().
      (req as RequestWithCaller).caller = decision.caller;
      return next();
    }
    if (decision.status === 401) res.setHeader('WWW-Authenticate', 'Bearer');
    res.status(decision.status).json({ statusCode: decision.status, message: decision.message });
  }
}
