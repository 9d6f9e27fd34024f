#!/usr/bin/env node
// A produce/consume round trip through kafkajs: the broker is usable, not just listening.
// Usage: node scripts/infra/kafka-smoke.js [broker]   (exit 0 when the round trip worked)
const { Kafka, logLevel, Partitioners } = require('kafkajs');

const broker = process.argv[2] || '127.0.0.1:9092';
const topic = 'smoke.v1';
const kafka = new Kafka({ clientId: 'recert-smoke', brokers: [broker], logLevel: logLevel.NOTHING });

async function main() {
  const started = performance.now();
  const admin = kafka.admin();
  await admin.connect();
  const topics = await admin.listTopics();
  if (!topics.includes(topic)) {
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 1, replicationFactor: 1 }] });
  }
  await admin.disconnect();

  const marker = `smoke-${process.pid}-${Math.floor(performance.now())}`;
  const consumer = kafka.consumer({ groupId: `recert-smoke-${marker}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const received = new Promise((resolve) => {
    consumer.run({
      eachMessage: async ({ message }) => {
        if (message.value && message.value.toString() === marker) resolve();
      },
    });
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, messages: [{ key: 'smoke', value: marker }] });
  await received;
  await producer.disconnect();
  await consumer.disconnect();
  console.log(`kafka round trip ok in ${Math.round(performance.now() - started)} ms`);
}

const timeout = setTimeout(() => {
  console.error('kafka round trip timed out after 30 s');
  process.exit(1);
}, 30_000);
main().then(
  () => {
    clearTimeout(timeout);
    process.exit(0);
  },
  (error) => {
    console.error(`kafka round trip failed: ${error.message}`);
    process.exit(1);
  },
);
