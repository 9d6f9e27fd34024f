import {
  AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ConfigResourceTypes,
  Kafka,
  ResourcePatternTypes,
} from 'kafkajs';
import { ALL_TOPICS, KafkaAcl, kafkaAcls, TOPIC_RETENTION } from '@recert/contracts';

/** Every registry topic's retention (TOPIC_RETENTION): the window the inbox must outlive. */
export const TOPIC_CONFIG = [
  { name: 'retention.ms', value: String(TOPIC_RETENTION.retentionMs) },
  { name: 'segment.ms', value: String(TOPIC_RETENTION.segmentMs) },
];

const RESOURCE = { topic: AclResourceTypes.TOPIC, group: AclResourceTypes.GROUP } as const;
const PATTERN = { literal: ResourcePatternTypes.LITERAL, prefixed: ResourcePatternTypes.PREFIXED } as const;
const OPERATION = {
  read: AclOperationTypes.READ,
  write: AclOperationTypes.WRITE,
  describe: AclOperationTypes.DESCRIBE,
} as const;

/** The registry's ACL as the broker's binding: ALLOW, from any host. */
function aclEntry(acl: KafkaAcl): AclEntry {
  return {
    principal: `User:${acl.principal}`,
    host: '*',
    resourceType: RESOURCE[acl.resource],
    resourceName: acl.name,
    resourcePatternType: PATTERN[acl.pattern],
    operation: OPERATION[acl.operation],
    permissionType: AclPermissionTypes.ALLOW,
  };
}

/**
 * What services are no longer allowed to do for themselves (issue 13): creates the registry's
 * topics that are missing, sets every registry topic's retention (TOPIC_CONFIG), and grants the
 * ACLs derived from it, for consumer groups named `<groupPrefix><service>`. `kafka` must authenticate as the admin principal. Existing topics and
 * bindings are left as they are, so running it at every broker start is harmless; it only adds
 * (a grant removed from the registry is revoked with kafka-acls --remove, or a broker reset).
 */
export async function provisionKafka(
  kafka: Kafka,
  options: { groupPrefix: string; replicationFactor?: number },
): Promise<{ createdTopics: string[]; acls: number }> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = ALL_TOPICS.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: options.replicationFactor ?? 1,
          configEntries: TOPIC_CONFIG,
        })),
      });
    }
    // Topics made before the retention was set (or changed by hand) get it too. These are the
    // topics' only dynamic settings, which a (non-incremental) alterConfigs replaces.
    await admin.alterConfigs({
      validateOnly: false,
      resources: ALL_TOPICS.map((t) => ({
        type: ConfigResourceTypes.TOPIC,
        name: t.name,
        configEntries: TOPIC_CONFIG,
      })),
    });
    const acls = kafkaAcls(options.groupPrefix).map(aclEntry);
    await admin.createAcls({ acl: acls });
    return { createdTopics: missing.map((t) => t.name), acls: acls.length };
  } finally {
    await admin.disconnect();
  }
}

/** Revokes the group grants of one prefix (a test run's, once its system stopped). */
export async function revokeGroupAcls(kafka: Kafka, groupPrefix: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin.deleteAcls({
      filters: kafkaAcls(groupPrefix)
        .filter((acl) => acl.resource === 'group')
        .map(aclEntry),
    });
  } finally {
    await admin.disconnect();
  }
}
