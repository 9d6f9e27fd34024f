import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { DynamicModule, INestApplication } from '@nestjs/common';
import type { RequestHandler } from 'express';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { Logger } from 'nestjs-pino';
import { RECERT_CONFIG, RecertConfig } from '@recert/platform';
import { KafkaBatchConsumer } from './kafka/kafka-batch-consumer';
import { KafkaBatchTransport } from './kafka/kafka-batch-transport';

export interface ServiceStartOptions {
  /** Whether the service consumes events (every service but the gateway). */
  consumesEvents: boolean;
  /** What the service does, for its OpenAPI document. */
  description: string;
  /** Completes the OpenAPI document at each request (the gateway adds what its services serve). */
  patchOpenApi?: (app: INestApplication, document: OpenAPIObject) => Promise<OpenAPIObject>;
  /** Express middleware in front of every route, Nest's and routers' alike (the gateway's staff sessions). */
  frontMiddleware?: (app: INestApplication) => RequestHandler[];
  /**
   * Whether the service closes itself on SIGTERM/SIGINT (the default). A host of several services
   * in one process turns it off and closes them itself, in its own order: with each app's own
   * hook, the first to finish re-raises the signal and ends the process under the others' drain.
   */
  shutdownHooks?: boolean;
}

/**
 * Starts one service the same way everywhere: JSON logs, its schema migrated, the Kafka consumer
 * attached, shutdown hooks (stop consuming, drain the relay, close pools), then HTTP. The topics
 * and the ACLs are provisioned beforehand with the admin principal (scripts/infra/kafka.sh start,
 * or tools/kafka-access.ts provision): a service's own principal may not create topics.
 */
export async function startService(module: DynamicModule, options: ServiceStartOptions): Promise<INestApplication> {
  // rawBody: webhooks are verified by a signature over the exact bytes received.
  const app = await NestFactory.create(module, { bufferLogs: true, rawBody: true });
  app.useLogger(app.get(Logger));
  if (options.shutdownHooks ?? true) app.enableShutdownHooks();
  const config = app.get<RecertConfig>(RECERT_CONFIG);
  // Used before init(): Express runs them ahead of every route and router Nest registers there.
  for (const handler of options.frontMiddleware?.(app) ?? []) app.use(handler);
  // The OpenAPI document, for tools at /docs-json and for people at /docs. Routes added after
  // init() would sit behind Nest's not-found handler, so this comes first.
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Recert ${config.service}`)
      .setDescription(options.description)
      .setVersion('1')
      .build(),
  );
  const patch = options.patchOpenApi;
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document), {
    patchDocumentOnRequest: patch ? (_req, _res, doc) => patch(app, doc) : undefined,
  });
  // Module hooks next (the schema is migrated there): no message may arrive before the tables exist.
  await app.init();
  // The message controllers registered their topics at init; the consumer subscribes to them.
  if (options.consumesEvents) {
    app.connectMicroservice({ strategy: new KafkaBatchTransport(app.get(KafkaBatchConsumer)) });
    await app.startAllMicroservices();
  }
  answerMalformedRequestsInJson(app.getHttpServer() as Server);
  await app.listen(config.httpPort, '0.0.0.0');
  app
    .get(Logger)
    .log(`${config.service} listening on http://127.0.0.1:${config.httpPort} (schema ${config.database.schema})`);
  return app;
}

/**
 * A request Node's HTTP parser refuses before any route sees it (a URL or headers over the size
 * limit, a malformed request line) is answered like every other refusal: a status and a JSON
 * reason, not Node's bare status line.
 */
function answerMalformedRequestsInJson(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const [status, text, message] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'the request line or headers are too large']
        : [400, 'Bad Request', 'the request is not valid HTTP'];
    const body = JSON.stringify({ statusCode: status, message });
    socket.end(
      `HTTP/1.1 ${status} ${text}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
