import { EventCatalog } from './catalog';
import { MessageDeadLettered } from './events/dead-letter.events';
import { RECERT_EVENTS } from './events/recert.events';
import { UPSTREAM_EVENTS } from './events/upstream.events';

/** Every event of the system, every version: the catalog producers and consumers validate against. */
export const RecertEvents = new EventCatalog([...UPSTREAM_EVENTS, ...RECERT_EVENTS, MessageDeadLettered]);
