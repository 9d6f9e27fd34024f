import { DynamicModule, Type } from '@nestjs/common';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { ALL_TOPICS, ServiceName } from '@recert/contracts';
import { ApplicationsModule } from '@recert/applications-service';
import { AuditsModule } from '@recert/audits-service';
import { CeuVerificationModule } from '@recert/ceu-verification-service';
import { GATEWAY_START_OPTIONS } from '@recert/gateway-service';
import { PaymentsModule } from '@recert/payments-service';
import { PetitionsModule } from '@recert/petitions-service';

/** The topics a module's message controllers subscribe to (their @EventPattern). */
function subscribedTopics(module: DynamicModule): string[] {
  const topics = new Set<string>();
  for (const controller of (module.controllers ?? []) as Type[]) {
    const prototype = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      const patterns = Reflect.getMetadata(PATTERN_METADATA, prototype[name] as object) as string[] | undefined;
      for (const pattern of patterns ?? []) topics.add(pattern);
    }
  }
  return [...topics].sort();
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
