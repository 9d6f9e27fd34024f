import type { ClientRequest } from 'node:http';
import { Inject, Injectable, NestMiddleware, RawBodyRequest } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { createProxyMiddleware, RequestHandler } from 'http-proxy-middleware';
import { PUBLIC_PREFIX, SERVICE_ROUTES, ServiceRoutes } from './service-routes';

/**
 * Forwards every /v1 query and staff action to the service that owns the data (no service reads
 * another's tables, and neither does the gateway). An unreachable service answers 502, by name.
 */
@Injectable()
export class QueryProxyMiddleware implements NestMiddleware {
  private readonly proxy: RequestHandler<Request, Response, NextFunction>;

  constructor(@Inject(SERVICE_ROUTES) routes: ServiceRoutes) {
    this.proxy = createProxyMiddleware<Request, Response>({
      pathFilter: (_path, req) => routes.serviceFor(req.originalUrl) !== null,
      router: (req) => routes.urls[routes.serviceFor(req.originalUrl) as keyof ServiceRoutes['urls']],
      pathRewrite: (_path, req) => req.originalUrl.slice(PUBLIC_PREFIX.length),
      proxyTimeout: 30_000,
      on: {
        proxyReq: forwardBodyAsReceived,
        error: (error, req, res) => {
          const service = routes.serviceFor((req as Request).originalUrl);
          const response = res as Response;
          if (!response.headersSent)
            response
              .status(502)
              .json({ statusCode: 502, message: `the ${service} service did not answer: ${error.message}` });
        },
      },
    });
  }

  use(req: Request, res: Response, next: NextFunction): void {
    void this.proxy(req, res, next);
  }
}

/**
 * The gateway's body parser has read a JSON or form body (the stream is spent), and keeps the bytes
 * (`rawBody: true` at start-up). Those bytes are what the service gets, never the parsed body
 * serialised again: a signature over the body (the processor's webhook) holds only for the bytes
 * the sender signed (issue 13). A body the parser left alone is still in the stream, and piped.
 */
function forwardBodyAsReceived(proxyReq: ClientRequest, req: Request): void {
  const raw = (req as RawBodyRequest<Request>).rawBody;
  if (!raw || raw.length === 0) return;
  proxyReq.setHeader('content-length', raw.length);
  proxyReq.write(raw);
}
