import { randomBytes } from 'node:crypto';
import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext } from '@nestjs/microservices';
import { ApplicationSubmitted, AuditDrawn, PayloadOf, Topics } from '@recert/contracts';
import { Clock, CLOCK } from '@recert/clock';
import { IdempotentConsumer, receivedFrom } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import { auditDeadline, CalendarDate, drawAudit, RecertPolicy, requiredAuditDocuments } from '@recert/rules';
import { AuditDeadlines } from '../enforce-audit-deadlines/audit-deadlines';
import { AuditEvaluator } from '../receive-document/audit-evaluator';

/**
 * R11: every submitted application enters the draw. Its seed is fresh and unpredictable to
 * trainers, and recorded with the result, so anyone can re-run the draw from the record.
 */
@Controller()
export class ApplicationEventsMessageController {
  constructor(
    private readonly consumer: IdempotentConsumer,
    private readonly evaluator: AuditEvaluator,
    private readonly deadlines: AuditDeadlines,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  @EventPattern(Topics.applicationEvents.name)
  async onMessage(@Ctx() context: KafkaContext): Promise<void> {
    await this.consumer.consume(receivedFrom(context), {
      [ApplicationSubmitted.type]: async (envelope, scope) => {
        const a = envelope.payload as PayloadOf<typeof ApplicationSubmitted>;
        await this.evaluator.lock(scope, a.applicationId);
        const drawnOn = CalendarDate.fromInstant(this.clock.now(), this.policy.defaultTimeZone);
        const draw = drawAudit(randomBytes(16).toString('hex'), a.applicationId, this.policy.auditRatePpm);
        const dueOn = draw.selected ? auditDeadline(drawnOn, this.policy) : null;
        const inserted = await scope.manager.query(
          `INSERT INTO audits (application_id, trainer_id, seed, draw_value, rate_ppm, selected, drawn_on, documentation_due_on,
                               required_documents, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10) ON CONFLICT DO NOTHING RETURNING 1`,
          [
            a.applicationId,
            a.trainerId,
            draw.seed,
            draw.value,
            draw.ratePpm,
            draw.selected,
            drawnOn.toString(),
            dueOn?.toString() ?? null,
            JSON.stringify(draw.selected ? requiredAuditDocuments(a.countedCreditIds) : []),
            draw.selected ? 'awaiting-documents' : 'not-selected',
          ],
        );
        if (inserted.length === 0) return;
        scope.publish(AuditDrawn, {
          applicationId: a.applicationId,
          trainerId: a.trainerId,
          seed: draw.seed,
          value: draw.value,
          ratePpm: draw.ratePpm,
          selected: draw.selected,
          drawnOn: drawnOn.toString(),
          documentationDueOn: dueOn?.toString() ?? null,
        });
        if (!dueOn) return;
        await this.deadlines.schedule(scope, a.applicationId, dueOn);
        // Documents uploaded before the draw was recorded count too.
        await this.evaluator.evaluate(scope, a.applicationId);
      },
    });
  }
}
