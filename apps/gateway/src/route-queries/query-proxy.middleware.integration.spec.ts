import { createHash } from 'node:crypto';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { INestApplication, MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { QueryProxyMiddleware } from './query-proxy.middleware';
import { SERVICE_ROUTES, ServiceRoutes } from './service-routes';

/** What the service behind the gateway received: the bytes, and the length the gateway announced. */
interface Received {
  sha256: string;
  bytes: number;
  contentLength: string | undefined;
}

/**
 * Issue 13: the processor signs the exact bytes it sends; payments verifies the bytes it receives.
 * The gateway must forward every proxied body as it came, not as its body parser re-serialises it.
 */
describe('the gateway forwards every proxied body byte for byte (issue 13)', () => {
  let service: Server;
  let gateway: INestApplication;
  let base: string;

  beforeAll(async () => {
    service = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks);
        const received: Received = {
          sha256: createHash('sha256').update(body).digest('hex'),
          bytes: body.length,
          contentLength: req.headers['content-length'],
        };
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify(received));
      });
    });
    await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
    const serviceUrl = `http://127.0.0.1:${(service.address() as AddressInfo).port}`;

    @Module({
      providers: [
        {
          provide: SERVICE_ROUTES,
          useValue: new ServiceRoutes({
            applications: serviceUrl,
            'ceu-verification': serviceUrl,
            petitions: serviceUrl,
            payments: serviceUrl,
            audits: serviceUrl,
          }),
        },
      ],
    })
    class ProxyOnlyModule implements NestModule {
      configure(consumer: MiddlewareConsumer): void {
        consumer.apply(QueryProxyMiddleware).forRoutes({ path: 'v1/*path', method: RequestMethod.ALL });
      }
    }

    // As the services start (libs/messaging service-bootstrap): body parsing on, raw body kept.
    gateway = await NestFactory.create(ProxyOnlyModule, { rawBody: true, logger: false });
    await gateway.listen(0, '127.0.0.1');
    base = (await gateway.getUrl()).replace('[::1]', '127.0.0.1');
  });

  afterAll(async () => {
    await gateway?.close();
    await new Promise((resolve) => service?.close(resolve));
  });

  const post = async (path: string, body: string, contentType: string): Promise<Received> => {
    const response = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
    expect(response.status).toBe(200);
    return (await response.json()) as Received;
  };
  const digest = (text: string) => createHash('sha256').update(text).digest('hex');

  it('a pretty-printed JSON body (2-space indentation, newline at the end) reaches the service unchanged', async () => {
    const pretty = `${JSON.stringify({ id: 'evt-1', type: 'payment.succeeded', data: { amountCents: 2500 } }, null, 2)}\n`;
    expect(await post('/v1/payments/processor-webhook', pretty, 'application/json')).toEqual({
      sha256: digest(pretty),
      bytes: Buffer.byteLength(pretty),
      contentLength: String(Buffer.byteLength(pretty)),
    });
  });

  it('so do JSON with keys a parser would reorder or merge, non-ASCII text, and a form body', async () => {
    for (const [body, type] of [
      ['{"b":1,"a":2,"a":3}', 'application/json'],
      ['{"name":"Zoë \\u00e9"}', 'application/json; charset=utf-8'],
      ['a=1&b=%20two&a=3', 'application/x-www-form-urlencoded'],
      ['not parsed by the gateway', 'text/plain'],
    ]) {
      expect(await post('/v1/payables/x', body, type)).toEqual({
        sha256: digest(body),
        bytes: Buffer.byteLength(body),
        contentLength: String(Buffer.byteLength(body)),
      });
    }
  });
});
