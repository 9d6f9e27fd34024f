import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RecertMetrics } from '@recert/platform';

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
    this.metrics.gaugeFromState('recert_payables', 'Payable items by purpose and status.', ['purpose', 'status'], () =>
      byPurposeAndStatus('count(*)'),
    );
  }
}
