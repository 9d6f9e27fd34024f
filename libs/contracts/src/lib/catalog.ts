import { z } from 'zod';
import { EventEnvelope } from './envelope';
import { TopicDefinition } from './topics';

/** One version of one event type: where it travels, its payload schema and its partition key. */
export interface EventDefinition<S extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly version: number;
  readonly topic: TopicDefinition;
  readonly schema: S;
  readonly description: string;
  /** Chooses the partition key from the payload, so one aggregate's events stay in order. */
  readonly key: (payload: z.infer<S>) => string;
}

export function defineEvent<S extends z.ZodType>(definition: EventDefinition<S>): EventDefinition<S> {
  return definition;
}

export type PayloadOf<D> = D extends EventDefinition<infer S> ? z.infer<S> : never;
/** What a producer passes: fields with defaults may be left out. */
export type PayloadInputOf<D> = D extends EventDefinition<infer S> ? z.input<S> : never;

/** The events a topic may carry, by (type, version). Used by producers and consumers alike. */
export class EventCatalog {
  private readonly byTypeVersion = new Map<string, EventDefinition>();

  constructor(definitions: readonly EventDefinition[]) {
    for (const definition of definitions) {
      const id = EventCatalog.id(definition.type, definition.version);
      if (this.byTypeVersion.has(id)) throw new Error(`Event ${id} is defined twice`);
      this.byTypeVersion.set(id, definition);
    }
  }

  get(type: string, version: number): EventDefinition | undefined {
    return this.byTypeVersion.get(EventCatalog.id(type, version));
  }

  all(): EventDefinition[] {
    return [...this.byTypeVersion.values()];
  }

  versionsOf(type: string): number[] {
    return this.all()
      .filter((d) => d.type === type)
      .map((d) => d.version)
      .sort((a, b) => a - b);
  }

  private static id(type: string, version: number): string {
    return `${type}@v${version}`;
  }
}

export type TypedEnvelope<D extends EventDefinition> = EventEnvelope<PayloadOf<D>>;
