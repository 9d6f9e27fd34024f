import { INestApplication, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DataSource } from 'typeorm';
import { EventCatalog } from '@recert/contracts';
import { PlatformModule } from '@recert/platform';
import { defineNoteTaken, TEST_DATABASE_URL, TEST_KAFKA_BROKERS, uniqueName, waitFor } from '@recert/testing';
import { MessagingTables1764000000000 } from '../database/messaging-tables.migration';
import { EVENT_PRODUCER, EventProducer, OutgoingMessage } from '../kafka/event-producer.port';
import { MessagingModule } from '../messaging.module';
import { UnitOfWork } from './unit-of-work';

/**
 * A service whose broker cannot be reached: its sends and its producer's disconnect never
 * return. GET /health/live fails once events have waited past OUTBOX_STUCK_AFTER_MS, and the
 * application still closes within its bound.
 */
describe('the relay in a service: liveness and shutdown (real PostgreSQL)', () => {
  const schema = uniqueName('it_relay_life');
  const sends: OutgoingMessage[][] = [];
  const unreachable: EventProducer = {
    send: (messages) => {
      sends.push(messages);
      return new Promise(() => undefined);
    },
    disconnect: () => new Promise(() => undefined),
  };
  const noted = defineNoteTaken('it.relay-life.notes', {}, { partitions: 1 });
  let app: INestApplication;
  let baseUrl: string;

  beforeAll(async () => {
    @Module({
      imports: [
        PlatformModule.forService({
          service: 'applications',
          database: { entities: [], migrations: [MessagingTables1764000000000] },
          env: {
            DATABASE_URL: TEST_DATABASE_URL,
            DB_SCHEMA: schema,
            KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
            LOG_LEVEL: 'silent',
            OUTBOX_STUCK_AFTER_MS: '300',
            OUTBOX_STOP_TIMEOUT_MS: '300',
            OUTBOX_SWEEP_MS: '60000',
          },
        }),
        MessagingModule.forRoot(new EventCatalog([noted])),
      ],
    })
    class ServiceModule {}

    const moduleRef = await Test.createTestingModule({ imports: [ServiceModule] })
      .overrideProvider(EVENT_PRODUCER)
      .useValue(unreachable)
      .compile();
    app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    baseUrl = await app.getUrl();
  });

  afterAll(async () => {
    const cleanup = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL });
    await cleanup.initialize();
    await cleanup.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await cleanup.destroy();
  });

  async function live(): Promise<{ status: number; body: string }> {
    const response = await fetch(`${baseUrl}/health/live`);
    return { status: response.status, body: await response.text() };
  }

  it('/health/live fails once a send is stuck past the limit, and the application still closes within its bound', async () => {
    expect((await live()).status).toBe(200);

    await app.get(UnitOfWork).run(async (scope) => {
      scope.publish(noted, { trainerId: 'T-1' });
    });
    await waitFor(
      async () => sends.length,
      (n) => n === 1,
      { what: 'the send to start' },
    );
    const stuck = await waitFor(live, (r) => r.status !== 200, { what: 'liveness to fail', timeoutMs: 5_000 });
    expect(stuck.status).toBe(503);
    expect(stuck.body).toContain('outbox-relay');
    expect(stuck.body).toContain('no progress');

    const outcome = await Promise.race([
      app.close().then(() => 'closed'),
      new Promise((resolve) => setTimeout(() => resolve('still closing after 5 s'), 5_000)),
    ]);
    expect(outcome).toBe('closed');
  });
});
