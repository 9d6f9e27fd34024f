import type { Kafka } from 'kafkajs';
import { KafkajsEventProducer } from './kafkajs-event-producer';

/**
 * After a broker restart an idempotent kafkajs producer may be refused for good ("The broker
 * received an out of order sequence number"): the fault suite saw the audits relay fail every send
 * for eight minutes, 116 events unpublished. Such a producer is replaced by a new one.
 */
describe('KafkajsEventProducer: a producer the broker refuses for good is replaced', () => {
  function fakeKafka(failures: unknown[]) {
    const producers: { sent: number; disconnected: boolean }[] = [];
    const kafka = {
      producer: () => {
        const record = { sent: 0, disconnected: false };
        producers.push(record);
        return {
          connect: async () => undefined,
          disconnect: async () => {
            record.disconnected = true;
          },
          sendBatch: async () => {
            const failure = failures.shift();
            if (failure) throw failure;
            record.sent += 1;
          },
        };
      },
    } as unknown as Kafka;
    return { kafka, producers };
  }
  const message = { topic: 't', key: 'k', value: 'v', headers: {} };

  it('replaces the producer after an out-of-order sequence (wrapped, as kafkajs throws it), and sends with the new one', async () => {
    const outOfOrder = Object.assign(new Error('The broker received an out of order sequence number'), {
      type: 'OUT_OF_ORDER_SEQUENCE_NUMBER',
    });
    const { kafka, producers } = fakeKafka([Object.assign(new Error('retries exceeded'), { cause: outOfOrder })]);
    const producer = new KafkajsEventProducer(kafka);
    await expect(producer.send([message])).rejects.toThrow('retries exceeded');
    await producer.send([message]);
    expect(producers).toEqual([
      { sent: 0, disconnected: true },
      { sent: 1, disconnected: false },
    ]);
  });

  it('keeps the producer through other failures (a connection lost: kafkajs reconnects it)', async () => {
    const { kafka, producers } = fakeKafka([new Error('Connection error: connect ECONNREFUSED')]);
    const producer = new KafkajsEventProducer(kafka);
    await expect(producer.send([message])).rejects.toThrow('ECONNREFUSED');
    await producer.send([message]);
    expect(producers).toEqual([{ sent: 1, disconnected: false }]);
  });
});
