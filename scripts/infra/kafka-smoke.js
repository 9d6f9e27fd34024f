#!/usr/bin/env node
// A produce/consume round trip through kafkajs: the broker is usable, not just listening.
// scripts/infra/kafka.sh start uses it as its readiness check.
//
//   KAFKA_PASSWORD_ADMIN=... node scripts/infra/kafka-smoke.js [--broker 127.0.0.1:9092] [--timeout 30] [--metadata-only]
//
// It authenticates as the admin principal (SASL/SCRAM-SHA-512): the broker lets nobody in without
// one, and only a super user may create the smoke topic and group. kafka.sh passes the password.
// Creates the topic smoke.v1 (3 partitions) with the admin client if it is missing (grows it to 3
// if it has fewer), produces one keyed message, consumes it back with a fresh consumer group,
// prints the round trip, exits 0.
// Exits 1 with the reason on any failure or after --timeout seconds. --metadata-only stops after
// a describeCluster (a metadata round trip). The broker defaults to 127.0.0.1:$KAFKA_PORT (9092);
// a bare first argument is taken as the broker too.
'use strict';

const path = require('path');

const TOPIC = 'smoke.v1';
const PARTITIONS = 3;

function parseArgs(argv) {
  const opts = { broker: `127.0.0.1:${process.env.KAFKA_PORT || 9092}`, timeoutS: 30, metadataOnly: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--broker') opts.broker = argv[++i];
    else if (a === '--timeout') opts.timeoutS = Number(argv[++i]);
    else if (a === '--metadata-only') opts.metadataOnly = true;
    else if (a === '-h' || a === '--help') {
      console.log('usage: node scripts/infra/kafka-smoke.js [--broker host:port] [--timeout s] [--metadata-only]');
      process.exit(0);
    } else if (!a.startsWith('-')) opts.broker = a;
    else {
      console.error(`kafka-smoke: unknown option ${a}`);
      process.exit(2);
    }
  }
  if (!(opts.timeoutS > 0)) opts.timeoutS = 30;
  return opts;
}

function loadKafkajs() {
  const root = path.resolve(__dirname, '..', '..');
  try {
    return require(require.resolve('kafkajs', { paths: [root] }));
  } catch {
    console.error(`kafka-smoke: kafkajs is not installed in ${root}/node_modules (run npm ci)`);
    process.exit(1);
  }
}

const opts = parseArgs(process.argv.slice(2));
const { Kafka, logLevel, Partitioners } = loadKafkajs();
let step = 'connecting the admin client';
if (!process.env.KAFKA_PASSWORD_ADMIN) {
  console.error('kafka-smoke: KAFKA_PASSWORD_ADMIN is not set (scripts/infra/kafka.sh sets it)');
  process.exit(2);
}

const kafka = new Kafka({
  clientId: 'recert-smoke',
  brokers: [opts.broker],
  sasl: { mechanism: 'scram-sha-512', username: 'admin', password: process.env.KAFKA_PASSWORD_ADMIN },
  logLevel: process.env.KAFKA_SMOKE_DEBUG ? logLevel.INFO : logLevel.NOTHING,
  connectionTimeout: 3000,
  requestTimeout: 10000,
  retry: { initialRetryTime: 200, retries: 5 },
});

async function ensureTopic(admin) {
  step = `listing topics`;
  const topics = await admin.listTopics();
  if (!topics.includes(TOPIC)) {
    step = `creating topic ${TOPIC}`;
    // false when another client created it in between: fine.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: TOPIC,
          numPartitions: PARTITIONS,
          replicationFactor: 1,
          configEntries: [{ name: 'retention.ms', value: String(60 * 60 * 1000) }],
        },
      ],
    });
  }
  step = `reading ${TOPIC}'s metadata`;
  let partitions = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0].partitions.length;
  if (partitions < PARTITIONS) {
    // Made by an older version of this script with fewer partitions.
    step = `growing ${TOPIC} to ${PARTITIONS} partitions`;
    await admin.createPartitions({ topicPartitions: [{ topic: TOPIC, count: PARTITIONS }] });
    partitions = PARTITIONS;
  }
  return partitions;
}

async function main() {
  const started = performance.now();
  const admin = kafka.admin();
  await admin.connect();
  step = 'describing the cluster';
  const cluster = await admin.describeCluster();
  if (opts.metadataOnly) {
    await admin.disconnect();
    console.log(
      `kafka metadata ok: cluster ${cluster.clusterId}, ${cluster.brokers.length} broker(s), ` +
        `controller ${cluster.controller}, ${Math.round(performance.now() - started)} ms`,
    );
    return;
  }
  const partitions = await ensureTopic(admin);

  const groupId = `recert-smoke-${process.pid}-${Date.now()}`;
  const marker = `smoke-${groupId}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 100, retry: { retries: 5 } });
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: true,
    maxInFlightRequests: 1,
  });
  try {
    step = 'connecting the consumer';
    await consumer.connect();
    await consumer.subscribe({ topics: [TOPIC], fromBeginning: true });
    step = `joining consumer group ${groupId}`;
    let sentAt = 0;
    const joined = new Promise((resolve) => consumer.on(consumer.events.GROUP_JOIN, resolve));
    const received = new Promise((resolve) => {
      consumer.run({
        eachMessage: async ({ partition, message }) => {
          if (message.value && message.value.toString() === marker) {
            resolve({ partition, offset: message.offset, at: performance.now() });
          }
        },
      });
    });
    await joined;
    step = 'connecting the producer';
    await producer.connect();
    step = `producing to ${TOPIC}`;
    sentAt = performance.now();
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ key: 'smoke-key', value: marker }] });
    step = `consuming the message back from ${TOPIC}`;
    const got = await received;
    console.log(
      `kafka round trip ok: ${TOPIC} (${partitions} partitions), key smoke-key -> partition ${got.partition} ` +
        `offset ${got.offset}, produce->consume ${Math.round(got.at - sentAt)} ms, ` +
        `total ${Math.round(performance.now() - started)} ms`,
    );
  } finally {
    await Promise.allSettled([producer.disconnect(), consumer.disconnect()]);
    // The group was only for this check: drop it so smoke runs do not pile up groups.
    await admin.deleteGroups([groupId]).catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
  }
}

const timer = setTimeout(() => {
  console.error(`kafka-smoke: timed out after ${opts.timeoutS} s while ${step} (${opts.broker})`);
  process.exit(1);
}, opts.timeoutS * 1000);

main().then(
  () => {
    clearTimeout(timer);
    process.exit(0);
  },
  (error) => {
    console.error(`kafka-smoke: failed while ${step} (${opts.broker}): ${error && error.message ? error.message : error}`);
    process.exit(1);
  },
);
