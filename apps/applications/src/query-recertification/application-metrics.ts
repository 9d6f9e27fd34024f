import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RECERT_POLICY, RecertMetrics } from '@recert/platform';
import { RecertPolicy } from '@recert/rules';
import { RecertificationQueries } from './recertification.queries';

/** Applications by state, for Prometheus (read from the table at each scrape). */
@Injectable()
export class ApplicationMetrics implements OnModuleInit {
  constructor(
    private readonly metrics: RecertMetrics,
    private readonly dataSource: DataSource,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  onModuleInit(): void {
    this.metrics.gaugeFromState('recert_applications', 'Applications by state.', ['status'], async () => {
      const counts = await new RecertificationQueries(this.dataSource.manager, this.policy).countsByStatus();
      return Object.entries(counts).map(([status, value]) => ({ labels: { status }, value }));
    });
  }
}
