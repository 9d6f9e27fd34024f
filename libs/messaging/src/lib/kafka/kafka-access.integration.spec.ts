import { ConfigResourceTypes, Kafka, logLevel } from 'kafkajs';
import { ALL_TOPICS, createEnvelope, PaymentSucceeded, Topics } from '@recert/contracts';
import { KafkaSasl, recertEnvSchema } from '@recert/platform';
import { TEST_KAFKA_BROKERS, testKafka, testKafkaSasl, uniqueName, waitFor } from '@recert/testing';
import { KafkajsEventProducer } from './kafkajs-event-producer';

/**
 * A payment event as the processor sends it. Its payable is this test's own, so a system that
 * reads the topic later only records a charge for an item it does not know.
 */
function paymentMessage() {
  const occurredAt = '2026-05-01T10:00:00Z';
  const envelope = createEnvelope(
    PaymentSucceeded,
    {
      processorEventId: uniqueName('issue13-event'),
      paymentId: uniqueName('issue13-payment'),
      payableId: uniqueName('issue13-payable'),
      amountCents: 9900,
      occurredAt,
    },
    { producer: 'issue-13-test', occurredAt: new Date(occurredAt) },
  );
  return { topic: Topics.processorEvents.name, key: envelope.key, value: JSON.stringify(envelope), headers: {} };
}

/** kafkajs's errors: the broker's error code as `type`, or on the `cause` that a retrier gave up on. */
type KafkaError = Error & { type?: string; cause?: { type?: string } };

/** The error a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<KafkaError> {
  try {
    await promise;
  } catch (error) {
    return error as KafkaError;
  }
  throw new Error('the broker accepted what it should have refused');
}

/**
 * The broker's trust boundaries (issue 13), against the real broker the tests run on: it knows
 * every principal (scripts/infra/kafka.sh) and the registry's ACLs (provisioned in globalSetup).
 */
describe('Kafka authentication and ACLs (issue 13)', () => {
  const closing: { disconnect(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.allSettled(closing.splice(0).map((c) => c.disconnect()));
  });

  const client = (sasl?: KafkaSasl) =>
    new Kafka({
      clientId: uniqueName('issue13'),
      brokers: TEST_KAFKA_BROKERS,
      sasl,
      logLevel: logLevel.NOTHING,
      connectionTimeout: 3_000,
      retry: { retries: 1, initialRetryTime: 100 },
    });

  it('issue 13: refuses a client without credentials, and one with a wrong password', async () => {
    const anonymous = client().admin();
    closing.push(anonymous);
    // Kafka answers ApiVersions before authentication (a client learns the SASL handshake from
    // it), so connecting succeeds; the first request for data closes the connection.
    const noCredentials = await refusal(anonymous.connect().then(() => anonymous.listTopics()));
    expect(noCredentials.name).toBe('KafkaJSConnectionClosedError');

    const impostor = client({ ...testKafkaSasl('payment-processor'), password: 'not-the-password' }).admin();
    closing.push(impostor);
    const wrongPassword = await refusal(impostor.connect());
    expect(wrongPassword.name).toBe('KafkaJSSASLAuthenticationError');
    expect(wrongPassword.message).toMatch(/SCRAM SHA512 authentication failed/);
  });

  it("issue 13: the CPR/AED provider's principal may not produce payment processor events", async () => {
    const producer = new KafkajsEventProducer(client(testKafkaSasl('cpr-aed-providers')));
    closing.push(producer);
    const error = await refusal(producer.send([paymentMessage()]));
    expect(error.cause?.type).toBe('TOPIC_AUTHORIZATION_FAILED');
  });

  it("issue 13: the payment processor's principal produces them, with the product's idempotent producer", async () => {
    const producer = new KafkajsEventProducer(client(testKafkaSasl('payment-processor')));
    closing.push(producer);
    const message = paymentMessage();
    await producer.send([message]);

    // It is on the topic (read back as admin, from where the topic ended before the send).
    const consumer = testKafka().consumer({ groupId: uniqueName('issue13-check') });
    closing.push(consumer);
    const seen: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topics: [Topics.processorEvents.name], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message: m }) => {
        if (m.value?.toString() === message.value) seen.push(m.value.toString());
      },
    });
    await waitFor(
      async () => seen.length,
      (n) => n === 1,
      { timeoutMs: 30_000, what: 'the processor event to be read back' },
    );
  });

  it('issue 13: a service principal cannot read a topic it does not consume, only its own', async () => {
    // A group named after the audits service's own (its ACL is a prefix), so only the topic is refused.
    const groupId = `${recertEnvSchema.shape.KAFKA_GROUP_PREFIX.parse(process.env['KAFKA_GROUP_PREFIX'])}audits-${uniqueName('issue13')}`;
    const audits = client(testKafkaSasl('audits'));

    const snooping = audits.consumer({ groupId, retry: { retries: 0 } });
    closing.push(snooping);
    await snooping.connect();
    const refused = await refusal(snooping.subscribe({ topics: [Topics.processorEvents.name], fromBeginning: true }));
    expect(refused.type ?? refused.cause?.type).toBe('TOPIC_AUTHORIZATION_FAILED');

    // The same principal and group read what the audits service consumes.
    const reading = audits.consumer({ groupId, retry: { retries: 0 } });
    closing.push(reading);
    await reading.connect();
    await reading.subscribe({ topics: [Topics.auditDocuments.name], fromBeginning: true });
    const joined = new Promise<void>((resolve) => reading.on(reading.events.GROUP_JOIN, () => resolve()));
    const crashed = new Promise<never>((_, reject) =>
      reading.on(reading.events.CRASH, ({ payload }) => reject(payload.error)),
    );
    await reading.run({ eachMessage: async () => undefined });
    await Promise.race([joined, crashed]);
  });
  it('issue 15: every registry topic keeps messages 7 days in segments of 1 day (the inbox outlives 8 days)', async () => {
    const admin = testKafka().admin();
    closing.push(admin);
    await admin.connect();
    const described = await admin.describeConfigs({
      includeSynonyms: false,
      resources: ALL_TOPICS.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.name,
        configNames: ['retention.ms', 'segment.ms'],
      })),
    });
    const byTopic = Object.fromEntries(
      described.resources.map((r) => [
        r.resourceName,
        Object.fromEntries(r.configEntries.map((c) => [c.configName, c.configValue])),
      ]),
    );
    for (const t of ALL_TOPICS)
      expect(byTopic[t.name]).toEqual({ 'retention.ms': String(7 * 86_400_000), 'segment.ms': String(86_400_000) });
  });
});
