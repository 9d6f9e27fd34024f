import { ServiceRoutes, serviceUrlsFromEnv } from './service-routes';

describe('ServiceRoutes: each public path goes to the service that owns its data', () => {
  const routes = new ServiceRoutes(serviceUrlsFromEnv({}));

  it.each([
    ['/v1/trainers/T1', 'applications'],
    ['/v1/trainers/T1?x=1', 'applications'],
    ['/v1/trainers/T1/ledger', 'ceu-verification'],
    ['/v1/trainers/T1/what-if?on=2026-11-20', 'ceu-verification'],
    ['/v1/approved-courses?providerId=ACE', 'ceu-verification'],
    ['/v1/applications', 'applications'],
    ['/v1/applications/counts', 'applications'],
    ['/v1/credentials/CPT-T1', 'applications'],
    ['/v1/petitions/abc/approve', 'petitions'],
    ['/v1/audits', 'audits'],
    ['/v1/payables/application-fee%3Aabc', 'payments'],
    ['/v1/payments/processor-webhook', 'payments'],
  ])('%s → %s', (path, service) => {
    expect(routes.serviceFor(path)).toBe(service);
  });

  it.each([
    '/v1/events/course-completed',
    '/v1/nowhere',
    '/trainers/T1',
    '/v1/trainersX',
    '/health/live',
    '/docs-json',
  ])('%s is not routed', (path) => {
    expect(routes.serviceFor(path)).toBeNull();
  });

  it('reads each service URL from <SERVICE>_URL, defaulting to this machine, and names a bad one', () => {
    expect(serviceUrlsFromEnv({ PAYMENTS_URL: 'http://payments:3004/' })).toMatchObject({
      payments: 'http://payments:3004',
      'ceu-verification': 'http://127.0.0.1:3002',
    });
    expect(() => serviceUrlsFromEnv({ CEU_VERIFICATION_URL: 'not a url' })).toThrow(
      /CEU_VERIFICATION_URL: must be a URL/,
    );
  });
});
