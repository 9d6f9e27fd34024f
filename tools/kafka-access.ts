import { KAFKA_ADMIN, KAFKA_BROKER_PRINCIPALS, KAFKA_PRINCIPALS } from '@recert/contracts';
import { createKafka, provisionKafka } from '@recert/messaging';
import { kafkaSasl, recertEnvSchema } from '@recert/platform';

/**
 * The broker's side of issue 13 (trust boundaries), from the topic registry:
 *
 *   tools/kafka-access.ts credentials   every principal and its password, one `name password` a
 *                                       line: the broker's own, admin, the services, the upstream
 *                                       systems (KAFKA_PASSWORD_<PRINCIPAL>, else the development
 *                                       password); scripts/infra/kafka.sh makes the broker's users
 *                                       from it
 *   tools/kafka-access.ts provision [--replication-factor N]
 *                                       as admin: the registry's missing topics, and every ACL for
 *                                       consumer groups named KAFKA_GROUP_PREFIX<service>
 *
 * Run with `SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/kafka-access.ts`
 * (`npm run kafka:provision` for the second). Reads KAFKA_BROKERS (127.0.0.1:9092).
 */
async function main(command: string | undefined, args: string[]): Promise<void> {
  if (command === 'credentials') {
    for (const principal of [...KAFKA_BROKER_PRINCIPALS, KAFKA_ADMIN, ...KAFKA_PRINCIPALS])
      console.log(`${principal} ${kafkaSasl(principal, process.env).password}`);
    return;
  }
  if (command === 'provision') {
    const flag = args.indexOf('--replication-factor');
    const replicationFactor = flag >= 0 ? Number(args[flag + 1]) : 1;
    if (!Number.isInteger(replicationFactor) || replicationFactor < 1)
      throw new Error('--replication-factor takes a whole number, 1 or more');
    const brokers = (process.env['KAFKA_BROKERS'] ?? '127.0.0.1:9092').split(',');
    const groupPrefix = recertEnvSchema.shape.KAFKA_GROUP_PREFIX.parse(process.env['KAFKA_GROUP_PREFIX']);
    const sasl = kafkaSasl(KAFKA_ADMIN, process.env);
    const done = await provisionKafka(createKafka({ brokers, clientId: 'recert-provision', sasl }), {
      groupPrefix,
      replicationFactor,
    });
    console.log(
      `provisioned ${brokers.join(',')}: ${done.createdTopics.length} topic(s) created` +
        `${done.createdTopics.length ? ` (${done.createdTopics.join(', ')})` : ''}, ${done.acls} ACLs for groups ${groupPrefix}<service>`,
    );
    return;
  }
  throw new Error('usage: tools/kafka-access.ts credentials | provision [--replication-factor N]');
}

main(process.argv[2], process.argv.slice(3)).catch((error: unknown) => {
  console.error(`kafka-access: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
