import { z } from 'zod';
import { EventCatalog, EventDefinition } from './catalog';
import { EnvelopeHeaders } from './envelope';
import { writersOf } from './kafka-access';
import { ALL_TOPICS } from './topics';

/**
 * The AsyncAPI 3.0 document of every topic, event and version, generated from the same zod
 * schemas producers and consumers validate with, so the document cannot drift from the code.
 */
export function asyncApiDocument(catalog: EventCatalog): Record<string, unknown> {
  const messageName = (d: EventDefinition) => `${d.type}.v${d.version}`;
  const messages: Record<string, unknown> = {};
  for (const d of catalog.all()) {
    messages[messageName(d)] = {
      name: d.type,
      title: `${d.type} v${d.version}`,
      summary: d.description,
      contentType: 'application/json',
      headers: {
        type: 'object',
        properties: Object.fromEntries(Object.values(EnvelopeHeaders).map((h) => [h, { type: 'string' }])),
      },
      payload: {
        description: `The event envelope; \`type\` is "${d.type}", \`version\` is ${d.version}, \`key\` the partition key.`,
        type: 'object',
        required: ['id', 'type', 'version', 'occurredAt', 'producer', 'correlationId', 'causationId', 'key', 'payload'],
        properties: {
          id: { type: 'string', format: 'uuid' },
          type: { const: d.type },
          version: { const: d.version },
          occurredAt: { type: 'string', format: 'date-time' },
          producer: { type: 'string' },
          correlationId: { type: 'string', format: 'uuid' },
          causationId: { type: ['string', 'null'], format: 'uuid' },
          key: { type: 'string' },
          payload: z.toJSONSchema(d.schema, { io: 'input', unrepresentable: 'any' }),
        },
      },
    };
  }
  const channels: Record<string, unknown> = {};
  for (const topic of ALL_TOPICS) {
    const carried = catalog.all().filter((d) => d.topic.name === topic.name);
    const writers = writersOf(topic);
    const readers = topic.consumers.length > 0 ? topic.consumers.join(', ') : 'no service';
    channels[topic.name] = {
      address: topic.name,
      description: `${topic.description} Written by: ${writers.join(', ')}. Read by: ${readers}.`,
      // The Kafka principals the broker's ACLs let write and read it (libs/contracts/src/lib/kafka-access.ts).
      'x-kafka-writers': writers,
      'x-kafka-readers': topic.consumers,
      messages: Object.fromEntries(
        carried.map((d) => [messageName(d), { $ref: `#/components/messages/${messageName(d)}` }]),
      ),
      bindings: { kafka: { partitions: topic.partitions, replicas: 1 } },
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'Recert events',
      version: '1.0.0',
      description:
        'Every Kafka topic of Recert and the events each carries, by version. Messages are JSON envelopes keyed by ' +
        'their aggregate (usually the trainer); payloads are validated against these schemas when produced and consumed. ' +
        'Generated from libs/contracts: regenerate with `npm run asyncapi`.',
    },
    defaultContentType: 'application/json',
    servers: {
      local: {
        host: '127.0.0.1:9092',
        protocol: 'kafka',
        description: 'The broker scripts/infra/kafka.sh runs',
        security: [{ $ref: '#/components/securitySchemes/principal' }],
      },
    },
    channels,
    components: {
      messages,
      securitySchemes: {
        principal: {
          type: 'scramSha512',
          description:
            'SASL/SCRAM-SHA-512 on SASL_PLAINTEXT. Every service and every upstream system is a principal of its ' +
            'own (user name = principal, password from KAFKA_PASSWORD_<PRINCIPAL>); ACLs let each write only the ' +
            'topics listed as its own (x-kafka-writers) and read only those it consumes (x-kafka-readers).',
        },
      },
    },
  };
}
