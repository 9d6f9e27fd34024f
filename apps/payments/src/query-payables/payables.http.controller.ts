import { Controller, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { CalendarDateString, ExternalId } from '@recert/contracts';
import { PAYMENT_PROCESSOR, PaymentProcessor } from '../receive-processor-webhook/payment-processor.port';
import { DayRange, daysOf, Roles } from '@recert/platform';

class PayableListQueryDto extends createZodDto(
  z.strictObject({
    trainerId: ExternalId.optional(),
    status: z.enum(['open', 'paid', 'refunded', 'closed']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
) {}

class DayRangeDto extends createZodDto(DayRange) {}

class CollectedQueryDto extends createZodDto(
  z.strictObject({ on: CalendarDateString, purpose: z.enum(['application-fee', 'petition-fee']).optional() }),
) {}

/** A charge that settled a fee: money collected (duplicates and charges to refund are not). */
const COLLECTED = `FROM processor_events e JOIN payables p ON p.payable_id = e.payable_id
  WHERE e.kind = 'succeeded' AND e.outcome = 'settled'`;

const PAYABLE_COLUMNS = `
  payable_id AS "payableId", purpose, reference_id AS "referenceId", trainer_id AS "trainerId",
  amount_cents AS "amountCents", status, paid_payment_id AS "paidPaymentId", ended_because AS "endedBecause"`;

/**
 * Charges that can never settle their item (a second charge for a paid fee, a charge for a closed
 * or refunded item) and are not refunded yet: ops gives them back.
 */
export const AWAITING_REFUND = `
  FROM processor_events c
  WHERE c.kind = 'succeeded' AND c.outcome IN ('duplicate-charge', 'to-refund')
    AND NOT EXISTS (SELECT 1 FROM processor_events r
                    WHERE r.kind = 'refunded' AND r.payable_id = c.payable_id AND r.payment_id = c.payment_id
                      AND r.outcome LIKE 'refunded%')`;

/** R6: refunds of petition fees the processor made although policy says none: flagged to ops. */
export const PETITION_FEE_REFUNDS = `
  FROM processor_events e JOIN payables p USING (payable_id)
  WHERE e.kind = 'refunded' AND p.purpose = 'petition-fee' AND e.outcome LIKE 'refunded: flagged%'`;

/** Fees owed and paid, for the portal and for ops: every item, its money trail, and the totals. */
@ApiTags('payments')
@Roles('ops')
@Controller()
export class PayablesHttpController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PAYMENT_PROCESSOR) private readonly processor: PaymentProcessor,
  ) {}

  // A trainer's payment trail in the staff console (issue 14); totals stay ops'.
  @Get('payables')
  @Roles('reviewer', 'ops')
  @ApiOperation({ summary: 'Payable items (one per fee), filtered by trainer or status.' })
  list(@Query() query: PayableListQueryDto) {
    return this.dataSource.query(
      `SELECT ${PAYABLE_COLUMNS} FROM payables
       WHERE ($1::text IS NULL OR trainer_id = $1) AND ($2::text IS NULL OR status = $2)
       ORDER BY payable_id LIMIT $3`,
      [query.trainerId ?? null, query.status ?? null, query.limit],
    );
  }

  @Get('payables/:payableId')
  @Roles('reviewer', 'ops')
  @ApiOperation({ summary: 'One payable item, where to pay it, and every processor event about it with its outcome.' })
  async one(@Param('payableId') payableId: string) {
    const [payable] = await this.dataSource.query(`SELECT ${PAYABLE_COLUMNS} FROM payables WHERE payable_id = $1`, [
      payableId,
    ]);
    if (!payable) throw new NotFoundException(`payable ${payableId} does not exist`);
    const processorEvents = await this.dataSource.query(
      `SELECT processor_event_id AS "processorEventId", payment_id AS "paymentId", kind, amount_cents AS "amountCents",
              occurred_at AS "occurredAt", outcome
       FROM processor_events WHERE payable_id = $1 ORDER BY occurred_at, processor_event_id`,
      [payableId],
    );
    return {
      ...payable,
      checkout: payable.status === 'open' ? this.processor.checkoutFor(payable) : null,
      processorEvents,
    };
  }

  @Get('payments/per-day')
  @ApiOperation({
    summary:
      'For the ops dashboard: fees collected (charges that settled a fee) on each day of the range (UTC), in cents, by purpose.',
  })
  async perDay(@Query() range: DayRangeDto) {
    const rows: { day: string; purpose: string; cents: number; charges: number }[] = await this.dataSource.query(
      `SELECT (e.occurred_at AT TIME ZONE 'UTC')::date::text AS day, p.purpose,
              sum(e.amount_cents)::int AS cents, count(*)::int AS charges
       ${COLLECTED} AND (e.occurred_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2
       GROUP BY 1, 2`,
      [range.from, range.to],
    );
    return daysOf(range).map((day) => {
      const of = (purpose: string) => rows.find((r) => r.day === day && r.purpose === purpose);
      return {
        day,
        applicationFeeCents: of('application-fee')?.cents ?? 0,
        petitionFeeCents: of('petition-fee')?.cents ?? 0,
        charges: (of('application-fee')?.charges ?? 0) + (of('petition-fee')?.charges ?? 0),
      };
    });
  }

  @Get('payments/collected')
  @ApiOperation({ summary: 'The charges behind a day of collected fees (UTC), optionally of one purpose.' })
  collected(@Query() query: CollectedQueryDto) {
    return this.dataSource.query(
      `SELECT e.processor_event_id AS "processorEventId", e.payment_id AS "paymentId", e.payable_id AS "payableId",
              p.purpose, p.trainer_id AS "trainerId", e.amount_cents AS "amountCents", e.occurred_at AS "occurredAt"
       ${COLLECTED} AND (e.occurred_at AT TIME ZONE 'UTC')::date = $1 AND ($2::text IS NULL OR p.purpose = $2)
       ORDER BY e.occurred_at, e.processor_event_id LIMIT 500`,
      [query.on, query.purpose ?? null],
    );
  }

  @Get('payments/totals')
  @ApiOperation({
    summary:
      'Money by purpose and status, in cents; duplicate charges; charges awaiting a refund; petition fee refunds flagged to ops (R6).',
  })
  async totals() {
    const rows: { purpose: string; status: string; items: string; cents: string }[] = await this.dataSource.query(
      `SELECT purpose, status, count(*) AS items, coalesce(sum(amount_cents), 0) AS cents FROM payables GROUP BY purpose, status`,
    );
    const [duplicates] = await this.dataSource.query(
      `SELECT count(*) AS items, coalesce(sum(amount_cents), 0) AS cents FROM processor_events WHERE outcome = 'duplicate-charge'`,
    );
    const [toRefund] = await this.dataSource.query(
      `SELECT count(*) AS items, coalesce(sum(c.amount_cents), 0) AS cents ${AWAITING_REFUND}`,
    );
    const [petitionRefunds] = await this.dataSource.query(
      `SELECT count(*) AS items, coalesce(sum(e.amount_cents), 0) AS cents ${PETITION_FEE_REFUNDS}`,
    );
    const byPurpose: Record<string, Record<string, { items: number; cents: number }>> = {};
    for (const purpose of ['application-fee', 'petition-fee'])
      byPurpose[purpose] = Object.fromEntries(
        ['open', 'paid', 'refunded', 'closed'].map((s) => [s, { items: 0, cents: 0 }]),
      );
    for (const r of rows) byPurpose[r.purpose][r.status] = { items: Number(r.items), cents: Number(r.cents) };
    const collected = rows.filter((r) => r.status === 'paid').reduce((sum, r) => sum + Number(r.cents), 0);
    return {
      collectedCents: collected,
      byPurpose,
      duplicateCharges: { items: Number(duplicates.items), cents: Number(duplicates.cents) },
      awaitingRefund: { items: Number(toRefund.items), cents: Number(toRefund.cents) },
      petitionFeeRefundsFlagged: { items: Number(petitionRefunds.items), cents: Number(petitionRefunds.cents) },
    };
  }
}
