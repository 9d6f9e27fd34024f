import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { Retention, RetentionRule } from '@recert/messaging';
import { RECERT_CONFIG, RecertConfig } from '@recert/platform';
import { AWAITING_REFUND } from '../query-payables/payables.http.controller';

/**
 * Settled processor events leave the money trail once older than the policy (seven years by
 * default). Never purged, however old: a payment still waiting for its item ('awaiting-payable'),
 * and a charge still to be given back (a duplicate or a charge to refund with no refund yet).
 */
export function processorEventsRetentionRule(keepMs: number): RetentionRule {
  return {
    table: 'processor_events',
    since: 'occurred_at',
    finished: `outcome <> 'awaiting-payable'
      AND NOT EXISTS (SELECT 1 ${AWAITING_REFUND} AND c.processor_event_id = processor_events.processor_event_id)`,
    keepMs,
  };
}

@Injectable()
export class ProcessorEventsRetention implements OnModuleInit {
  constructor(
    private readonly retention: Retention,
    @Inject(RECERT_CONFIG) private readonly config: RecertConfig,
  ) {}

  onModuleInit(): void {
    this.retention.register(processorEventsRetentionRule(this.config.retention.processorEventsMs));
  }
}
