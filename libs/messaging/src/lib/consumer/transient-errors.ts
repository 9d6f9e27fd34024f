/** Network errors from the driver: our database is away, not the message's fault. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * PostgreSQL SQLSTATE classes that mean "try again later": 08 connection exceptions,
 * 40001 serialization failure, 40P01 deadlock, 53 insufficient resources, 57P01–57P03 shutdown.
 */
function isTransientSqlState(code: string): boolean {
  return code.startsWith('08') || code.startsWith('53') || ['40001', '40P01', '57P01', '57P02', '57P03'].includes(code);
}

export function isTransientInfrastructureError(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { code, driverError, message, name } = error as {
    code?: unknown;
    driverError?: unknown;
    message?: unknown;
    name?: unknown;
  };
  // A handler that asks the broker something (e.g. where a partition ends) met the broker away.
  if (typeof name === 'string' && name.startsWith('KafkaJS')) return true;
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isTransientSqlState(code))) return true;
  if (driverError && driverError !== error && isTransientInfrastructureError(driverError)) return true;
  return (
    typeof message === 'string' &&
    /Connection terminated|connection timeout|Client has encountered a connection error/i.test(message)
  );
}
