import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RecertMetrics } from '@recert/platform';
import { AWAITING_REFUND, PETITION_FEE_REFUNDS } from './payables.http.controller';

/** Money for Prometheus: payable items and their cents by purpose and status (read at each scrape). */
@Injectable()
export class PaymentMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: RecertMetrics,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    const byPurposeAndStatus = async (column: 'count(*)' | 'coalesce(sum(amount_cents), 0)') => {
      const rows: { purpose: string; status: string; value: string }[] = await this.dataSource.query(
        `SELECT purpose, status, ${column} AS value FROM payables GROUP BY purpose, status`,
      );
      return rows.map((r) => ({ labels: { purpose: r.purpose, status: r.status }, value: Number(r.value) }));
    };
    this.metrics.gaugeFromState(
      'recert_fees_cents',
      'Fees in cents by purpose and status: paid is what was collected.',
      ['purpose', 'status'],
      () => byPurposeAndStatus('coalesce(sum(amount_cents), 0)'),
    );
    const one = async (sql: string) => {
      const [row]: { value: string }[] = await this.dataSource.query(sql);
      return [{ labels: {}, value: Number(row.value) }];
    };
    this.metrics.gaugeFromState(
      'recert_payments_awaiting_refund',
      'Charges that can never settle their item (a duplicate, or for a closed item) and are not refunded yet: ops gives them back.',
      [],
      () => one(`SELECT count(*) AS value ${AWAITING_REFUND}`),
    );
    this.metrics.gaugeFromState(
      'recert_petition_fee_refunds_flagged',
      'Petition fees the processor refunded although policy says they are non-refundable (R6): for ops to follow up.',
      [],
      () => one(`SELECT count(*) AS value ${PETITION_FEE_REFUNDS}`),
    );
    this.metrics.gaugeFromState('recert_payables', 'Payable items by purpose and status.', ['purpose', 'status'], () =>
      byPurposeAndStatus('count(*)'),
    );
  }
}
