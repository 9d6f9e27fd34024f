import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { cleanupOpenApiDoc } from 'nestjs-zod';
import { Logger } from 'nestjs-pino';
import { ALL_TOPICS } from '@recert/contracts';
import { RECERT_CONFIG, RecertConfig } from '@recert/platform';
import { createKafka, kafkaMicroserviceOptions } from './kafka/kafka-transport';
import { provisionTopics } from './kafka/topic-provisioner';

export interface ServiceStartOptions {
  /** Whether the service consumes events (every service but the gateway). */
  consumesEvents: boolean;
  /** What the service does, for its OpenAPI document. */
  description: string;
  /** Extra HTTP set-up (OpenAPI, validation pipes) before listening. */
  configure?: (app: INestApplication) => void | Promise<void>;
}

/**
 * Starts one service the same way everywhere: JSON logs, its schema migrated, the registry's
 * topics created, the Kafka consumer attached, shutdown hooks (stop consuming, drain the relay,
 * close pools), then HTTP.
 */
export async function startService(module: DynamicModule, options: ServiceStartOptions): Promise<INestApplication> {
  const app = await NestFactory.create(module, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  const config = app.get<RecertConfig>(RECERT_CONFIG);
  // Module hooks first (the schema is migrated there): no message may arrive before the tables exist.
  await app.init();
  if (options.consumesEvents) {
    await provisionTopics(createKafka(config.kafka), ALL_TOPICS);
    app.connectMicroservice(kafkaMicroserviceOptions(config.kafka), { inheritAppConfig: true });
    await app.startAllMicroservices();
  }
  await options.configure?.(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(`Recert ${config.service}`)
      .setDescription(options.description)
      .setVersion('1')
      .build(),
  );
  // The OpenAPI document, for tools at /docs-json and for people at /docs.
  SwaggerModule.setup('docs', app, cleanupOpenApiDoc(document));
  await app.listen(config.httpPort, '0.0.0.0');
  app
    .get(Logger)
    .log(`${config.service} listening on http://127.0.0.1:${config.httpPort} (schema ${config.database.schema})`);
  return app;
}
