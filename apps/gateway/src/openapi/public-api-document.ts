import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OpenAPIObject } from '@nestjs/swagger';
import { z } from 'zod';
import { CORRELATION_HEADER } from '@recert/platform';
import { eventSlug, INGESTED_EVENTS } from '../ingest-upstream-event/upstream-event-routes';
import { PUBLIC_PREFIX, SERVICE_ROUTES, ServiceRoutes } from '../route-queries/service-routes';

type Paths = OpenAPIObject['paths'];

/** Paths a service serves for itself, not through the public API. */
const INTERNAL_PATH = /^\/(health|docs|metrics)(\/|-|$)/;

/**
 * The public API's one OpenAPI document: the gateway's ingestion paths (one per upstream event but
 * the payment processor's, which come signed through its webhook; the body is the event's own schema) and every service's queries and staff actions under /v1,
 * read from the services themselves, so it cannot drift from the code that serves them.
 */
@Injectable()
export class PublicApiDocument {
  private readonly logger = new Logger(PublicApiDocument.name);

  constructor(@Inject(SERVICE_ROUTES) private readonly routes: ServiceRoutes) {}

  async compose(gateway: OpenAPIObject): Promise<OpenAPIObject> {
    const paths: Paths = { ...gateway.paths, ...ingestionPaths() };
    const schemas = { ...(gateway.components?.schemas ?? {}) };
    const unavailable: string[] = [];
    await Promise.all(
      this.routes.services().map(async (service) => {
        try {
          const response = await fetch(`${this.routes.urls[service]}/docs-json`, {
            signal: AbortSignal.timeout(3_000),
          });
          if (!response.ok) throw new Error(`HTTP ${response.status}`);
          const document = (await response.json()) as OpenAPIObject;
          for (const [path, item] of Object.entries(document.paths ?? {})) {
            if (!INTERNAL_PATH.test(path) && this.routes.serviceFor(`${PUBLIC_PREFIX}${path}`) === service)
              paths[`${PUBLIC_PREFIX}${path}`] = item;
          }
          Object.assign(schemas, document.components?.schemas ?? {});
        } catch (error) {
          unavailable.push(service);
          this.logger.warn(`OpenAPI of ${service} unavailable: ${(error as Error).message}`);
        }
      }),
    );
    return {
      ...gateway,
      info: {
        ...gateway.info,
        title: 'Recert public API',
        description:
          `${gateway.info.description}` +
          (unavailable.length ? `\n\nNot listed (service not answering): ${unavailable.sort().join(', ')}.` : ''),
      },
      paths: Object.fromEntries(Object.entries(paths).sort(([a], [b]) => a.localeCompare(b))),
      components: { ...gateway.components, schemas },
    };
  }
}

function ingestionPaths(): Paths {
  return Object.fromEntries(
    INGESTED_EVENTS.map((definition) => [
      `${PUBLIC_PREFIX}/events/${eventSlug(definition)}`,
      {
        post: {
          tags: ['ingestion'],
          operationId: `ingest${definition.type}`,
          summary: `${definition.type} v${definition.version}: ${definition.description}`,
          description: `The same event as on the Kafka topic \`${definition.topic.name}\`. 202: durably queued for the topic.`,
          parameters: [
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'A retry with the same key and body is answered with the same event id and not published again.',
              schema: { type: 'string', maxLength: 200 },
            },
            { name: CORRELATION_HEADER, in: 'header', required: false, schema: { type: 'string', format: 'uuid' } },
          ],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: z.toJSONSchema(definition.schema, {
                  io: 'input',
                  unrepresentable: 'any',
                  target: 'openapi-3.0',
                }),
              },
            },
          },
          responses: {
            '202': { description: 'Queued: `{ eventId, type, version, topic, duplicate }`.' },
            '400': { description: 'The body breaks the event schema; the message names each field.' },
            '422': { description: 'The Idempotency-Key was used before with a different body.' },
          },
        },
      },
    ]),
  ) as Paths;
}
