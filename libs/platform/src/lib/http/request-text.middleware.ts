import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { findUnstorableText } from '@recert/contracts';

/**
 * Refuses, with a 400 naming where, a request whose path, query or JSON body holds text PostgreSQL
 * cannot store (a NUL character, an unpaired surrogate) or a body nested deeper than any contract
 * needs. Without it a `%00` in a path reached a query and failed there (500), and a deeply nested
 * body overflowed the stack where it is serialized again (the gateway's proxy: 502).
 */
@Injectable()
export class RequestTextMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const problem = findUnstorableText(decodedPath(req.path), 'path') ?? findUnstorableText(req.query, 'query');
    const body = req.body === undefined || Buffer.isBuffer(req.body) ? null : findUnstorableText(req.body, 'body');
    const message = problem ?? body;
    if (!message) return next();
    res.status(400).json({ statusCode: 400, message, error: 'Bad Request' });
  }
}

/** The path as a route parameter would see it; one that does not decode is left to the router (400). */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return '';
  }
}
