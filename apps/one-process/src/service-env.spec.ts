import { hostedServices, ownEnv } from './service-env';

describe('the one-process host hands each service its own environment (issue 13, issue 16)', () => {
  const env = {
    DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/recert',
    KAFKA_PASSWORD_APPLICATIONS: 'a-secret',
    KAFKA_PASSWORD_CEU_VERIFICATION: 'c-secret',
    KAFKA_PASSWORD_GATEWAY: 'g-secret',
    KAFKA_PASSWORD_ADMIN: 'admin-secret',
  };

  it("keeps every setting, and of the Kafka passwords only the service's own", () => {
    expect(ownEnv('ceu-verification', env)).toEqual({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/recert',
      KAFKA_PASSWORD_CEU_VERIFICATION: 'c-secret',
    });
    expect(ownEnv('gateway', env)).toEqual({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/recert',
      KAFKA_PASSWORD_GATEWAY: 'g-secret',
    });
  });

  it('a service with no password set gets none of the others (it falls back to the development one)', () => {
    expect(ownEnv('audits', env)).toEqual({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/recert' });
  });
});

describe('hostedServices: which services one host runs', () => {
  const all = ['applications', 'ceu-verification', 'payments', 'gateway'] as const;

  it('runs them all when RECERT_HOST_SERVICES is unset or empty', () => {
    expect(hostedServices(all, {})).toEqual([...all]);
    expect(hostedServices(all, { RECERT_HOST_SERVICES: ' ' })).toEqual([...all]);
  });

  it('runs the ones listed, in the start order of all (the gateway last), whatever order they are listed in', () => {
    expect(hostedServices(all, { RECERT_HOST_SERVICES: 'gateway, applications' })).toEqual(['applications', 'gateway']);
  });

  it('refuses a name that is not a service, naming it and the services', () => {
    expect(() => hostedServices(all, { RECERT_HOST_SERVICES: 'applications,audit' })).toThrow(
      'RECERT_HOST_SERVICES names audit: the services are applications, ceu-verification, payments, gateway',
    );
  });
});
