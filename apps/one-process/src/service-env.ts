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

/**
 * Which of the services this host runs, in their start order: RECERT_HOST_SERVICES (names separated
 * by commas), or all of them. Two hosts splitting the six give the services two event loops
 * (RECERT_PROCESSES=two npm start). A name that is not a service is refused, and so is a list
 * that names none.
 */
export function hostedServices<T extends string>(all: readonly T[], env: Env): T[] {
  const listed = env['RECERT_HOST_SERVICES']?.split(',').map((s) => s.trim()).filter(Boolean);
  if (!listed || listed.length === 0) return [...all];
  const unknown = listed.filter((s) => !all.includes(s as T));
  if (unknown.length > 0)
    throw new Error(`RECERT_HOST_SERVICES names ${unknown.join(', ')}: the services are ${all.join(', ')}`);
  return all.filter((s) => listed.includes(s));
}
