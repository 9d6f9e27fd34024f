import { DynamicModule, OnModuleInit, Type } from '@nestjs/common';
import { ALL_TOPICS, RecertEvents, ServiceName } from '@recert/contracts';
import { IdempotentConsumer, UnitOfWork } from '@recert/messaging';
import { ApplicationsModule } from '@recert/applications-service';
import { AuditsModule } from '@recert/audits-service';
import { CeuVerificationModule } from '@recert/ceu-verification-service';
import { GATEWAY_START_OPTIONS } from '@recert/gateway-service';
import { PaymentsModule } from '@recert/payments-service';
import { PetitionsModule } from '@recert/petitions-service';

/**
 * The topics a module's message controllers register handlers for at init, which are the topics
 * its consumer subscribes to. Each controller is built with a consumer and nothing else: the
 * handlers only register, they do not run.
 */
function subscribedTopics(module: DynamicModule): string[] {
  const consumer = new IdempotentConsumer('registry-check', RecertEvents, {} as UnitOfWork, {
    maxAttempts: 1,
    backoffMs: 0,
  });
  for (const controller of (module.controllers ?? []) as Type<Partial<OnModuleInit>>[]) {
    const parameters = (Reflect.getMetadata('design:paramtypes', controller) ?? []) as unknown[];
    if (!parameters.includes(IdempotentConsumer)) continue;
    const instance = new controller(...parameters.map((type) => (type === IdempotentConsumer ? consumer : undefined)));
    instance.onModuleInit?.();
  }
  return consumer.topics.sort();
}

describe("the topic registry's consumers (issue 13: the ACLs grant READ from them)", () => {
  const modules: Record<Exclude<ServiceName, 'gateway'>, DynamicModule> = {
    applications: ApplicationsModule.forRoot({}),
    'ceu-verification': CeuVerificationModule.forRoot({}),
    petitions: PetitionsModule.forRoot({}),
    payments: PaymentsModule.forRoot({}),
    audits: AuditsModule.forRoot({}),
  };
  const consumersOf = (service: ServiceName) =>
    ALL_TOPICS.filter((t) => t.consumers.includes(service))
      .map((t) => t.name)
      .sort();

  it.each(Object.keys(modules) as (keyof typeof modules)[])(
    'issue 13: %s subscribes to exactly the topics the registry says it consumes',
    (service) => {
      expect(subscribedTopics(modules[service])).toEqual(consumersOf(service));
    },
  );

  it('issue 13: the gateway consumes nothing, and attaches no Kafka consumer', () => {
    expect(consumersOf('gateway')).toEqual([]);
    expect(GATEWAY_START_OPTIONS.consumesEvents).toBe(false);
  });
});
