import { DynamicModule, INestApplication } from '@nestjs/common';
import { APPLICATIONS_START_OPTIONS, ApplicationsModule } from '@recert/applications-service';
import { AUDITS_START_OPTIONS, AuditsModule } from '@recert/audits-service';
import { CEU_VERIFICATION_START_OPTIONS, CeuVerificationModule } from '@recert/ceu-verification-service';
import { GATEWAY_START_OPTIONS, GatewayModule } from '@recert/gateway-service';
import { PAYMENTS_START_OPTIONS, PaymentsModule } from '@recert/payments-service';
import { PETITIONS_START_OPTIONS, PetitionsModule } from '@recert/petitions-service';
import { ServiceStartOptions, startService } from '@recert/messaging';
import { Env, hostedServices, ownEnv } from './service-env';

/**
 * The six services, each as its own Nest application, in start order: the public API last, once
 * what it routes to listens (and first to close).
 */
const SERVICES: [name: string, forRoot: (env: Env) => DynamicModule, options: ServiceStartOptions][] = [
  ['applications', (env) => ApplicationsModule.forRoot(env), APPLICATIONS_START_OPTIONS],
  ['ceu-verification', (env) => CeuVerificationModule.forRoot(env), CEU_VERIFICATION_START_OPTIONS],
  ['petitions', (env) => PetitionsModule.forRoot(env), PETITIONS_START_OPTIONS],
  ['payments', (env) => PaymentsModule.forRoot(env), PAYMENTS_START_OPTIONS],
  ['audits', (env) => AuditsModule.forRoot(env), AUDITS_START_OPTIONS],
  ['gateway', (env) => GatewayModule.forRoot(env), GATEWAY_START_OPTIONS],
];

/**
 * The whole system in one Node process, for a single machine (`npm start`, RECERT_PROCESSES=one;
 * issue 16 measures it against a process per service), or the services RECERT_HOST_SERVICES
 * names (RECERT_PROCESSES=two: two such hosts). Each service keeps everything of its own: its Nest
 * application and HTTP port, its schema and pool, its consumer group, its producer, its deadline
 * queue, and its Kafka principal (it is given its own password only). Kubernetes (k8s/) runs them
 * apart, each in its own pods.
 */
async function main(): Promise<void> {
  const hosted = hostedServices(
    SERVICES.map(([name]) => name),
    process.env,
  );
  const apps = new Map<string, INestApplication>();
  for (const [name, forRoot, options] of SERVICES.filter(([name]) => hosted.includes(name))) {
    apps.set(name, await startService(forRoot(ownEnv(name, process.env)), { ...options, shutdownHooks: false }));
  }
  const gateway = apps.get('gateway');
  apps.delete('gateway');
  let closing: Promise<void> | undefined;
  const close = (signal: NodeJS.Signals) => {
    closing ??= (async () => {
      // No new requests first; then every service drains its consumer and relay, side by side.
      await gateway?.close();
      await Promise.all([...apps.values()].map((app) => app.close()));
      process.kill(process.pid, signal);
    })();
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => close(signal));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
