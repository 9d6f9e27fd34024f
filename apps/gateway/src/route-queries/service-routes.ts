import { z } from 'zod';
import { SERVICE_PORTS } from '@recert/platform';

export type RoutedService = 'applications' | 'ceu-verification' | 'petitions' | 'payments' | 'audits';

export const ROUTED_SERVICES = [
  'applications',
  'ceu-verification',
  'petitions',
  'payments',
  'audits',
] as const satisfies readonly RoutedService[];

/** Where each service listens: `<SERVICE>_URL` (e.g. PAYMENTS_URL), by default this machine's port. */
export function serviceUrlsFromEnv(env: Record<string, string | undefined>): Record<RoutedService, string> {
  const problems: string[] = [];
  const urls = Object.fromEntries(
    ROUTED_SERVICES.map((service) => {
      const variable = `${service.toUpperCase().replace(/-/g, '_')}_URL`;
      const parsed = z.url().safeParse(env[variable] ?? `http://127.0.0.1:${SERVICE_PORTS[service]}`);
      if (!parsed.success) problems.push(`${variable}: must be a URL`);
      return [service, parsed.success ? parsed.data.replace(/\/$/, '') : ''];
    }),
  ) as Record<RoutedService, string>;
  if (problems.length > 0) throw new Error(`Invalid environment for gateway: ${problems.join('; ')}`);
  return urls;
}

/**
 * The public API's paths (under /v1) and the service that owns each: the first match wins, so a
 * trainer's ledger and what-if go to CEU verification and the rest of /trainers to applications.
 */
const ROUTES: readonly { pattern: RegExp; service: RoutedService }[] = [
  { pattern: /^\/trainers\/[^/]+\/(ledger|what-if)$/, service: 'ceu-verification' },
  { pattern: /^\/approved-courses$/, service: 'ceu-verification' },
  { pattern: /^\/(trainers|applications|credentials)(\/|$)/, service: 'applications' },
  { pattern: /^\/petitions(\/|$)/, service: 'petitions' },
  { pattern: /^\/audits(\/|$)/, service: 'audits' },
  { pattern: /^\/(payables|payments)(\/|$)/, service: 'payments' },
];

export const PUBLIC_PREFIX = '/v1';

export class ServiceRoutes {
  constructor(readonly urls: Record<RoutedService, string>) {}

  /** The service that answers `path` (with or without its query), or null when none does. */
  serviceFor(path: string): RoutedService | null {
    if (!path.startsWith(`${PUBLIC_PREFIX}/`)) return null;
    const local = path.slice(PUBLIC_PREFIX.length).split('?')[0];
    return ROUTES.find((r) => r.pattern.test(local))?.service ?? null;
  }

  services(): readonly RoutedService[] {
    return ROUTED_SERVICES;
  }
}

export const SERVICE_ROUTES = Symbol('ServiceRoutes');
