export type Env = Record<string, string | undefined>;

/**
 * The environment as the service would have it in a process of its own: every variable but the
 * other principals' Kafka passwords (issue 13: a service holds its own password only), as
 * scripts/start.sh hands each service its own when they run apart.
 */
export function ownEnv(service: string, env: Env): Env {
  const own = `KAFKA_PASSWORD_${service.toUpperCase().replace(/-/g, '_')}`;
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => !name.startsWith('KAFKA_PASSWORD_') || name === own),
  );
}
