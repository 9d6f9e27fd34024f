/**
 * Every Kafka client authenticates as a principal (issue 13): SASL/SCRAM-SHA-512, the user name is
 * the principal's name (a service, an upstream system, `admin`), the password comes from
 * KAFKA_PASSWORD_<PRINCIPAL> (dashes as underscores: KAFKA_PASSWORD_CEU_VERIFICATION). SCRAM, not
 * PLAIN: the password never crosses the wire and the broker keeps only salted hashes, which
 * matters while the listener has no TLS; kafkajs speaks both SCRAM variants.
 */
export interface KafkaSasl {
  mechanism: 'scram-sha-512';
  username: string;
  password: string;
}

/** The variable that holds a principal's password. */
export function kafkaPasswordVariable(principal: string): string {
  return `KAFKA_PASSWORD_${principal.toUpperCase().replace(/-/g, '_')}`;
}

/**
 * The development password of a principal, used when its variable is unset outside production:
 * the one scripts/infra/kafka.sh gives the broker's users by default (it asks this module, through
 * tools/kafka-access.ts credentials).
 */
function devKafkaPassword(principal: string): string {
  return `${principal}-dev-password`;
}

/**
 * The credentials of `principal` from `env`. Outside production an unset or empty variable falls
 * back to the development password; in production it is an error.
 */
export function kafkaSasl(
  principal: string,
  env: Record<string, string | undefined>,
  options: { production?: boolean } = {},
): KafkaSasl {
  const variable = kafkaPasswordVariable(principal);
  const password = env[variable];
  if (password) return { mechanism: 'scram-sha-512', username: principal, password };
  if (options.production) throw new Error(`${variable}: required in production`);
  return { mechanism: 'scram-sha-512', username: principal, password: devKafkaPassword(principal) };
}
