import { IncomingMessage } from 'node:http';
import { Params } from 'nestjs-pino';
import { RecertConfig } from '../config/recert-config';

export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * Structured JSON logs with the service name and the correlation id of the request. Credentials
 * and cookies are redacted; request bodies (personal data) are never logged.
 */
export function pinoOptions(config: RecertConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      base: { service: config.service },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-api-key"]'],
      customProps: (req: IncomingMessage) => ({ correlationId: req.headers[CORRELATION_HEADER] }),
      autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
    },
  };
}
