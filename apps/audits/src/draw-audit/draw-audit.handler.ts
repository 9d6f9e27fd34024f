import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ApplicationSubmitted, AuditDrawn, PayloadOf } from '@recert/contracts';
import { Clock, CLOCK } from '@recert/clock';
import { EventScope } from '@recert/messaging';
import { RECERT_POLICY } from '@recert/platform';
import {
  auditDeadline,
  auditSelection,
  CalendarDate,
  drawAudit,
  isTimeZone,
  RecertPolicy,
  requiredAuditDocuments,
} from '@recert/rules';
import { AuditLifecycle } from '../audit-lifecycle/audit-lifecycle';
import { AuditRepository } from '../database/audit.repository';
import { AuditDeadlines } from '../enforce-audit-deadlines/audit-deadlines';

/**
 * R11: every submitted application enters the draw. Its seed is fresh and unpredictable to
 * trainers, and recorded with the result, so anyone can re-run the draw from the record. A
 * trainer who failed the audit of this cycle is selected whatever the draw (recorded as forced).
 * The audit is dated in the credential's time zone.
 */
@Injectable()
export class DrawAuditHandler {
  constructor(
    private readonly lifecycle: AuditLifecycle,
    private readonly deadlines: AuditDeadlines,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(RECERT_POLICY) private readonly policy: RecertPolicy,
  ) {}

  async execute(scope: EventScope, a: PayloadOf<typeof ApplicationSubmitted>): Promise<void> {
    const repository = new AuditRepository(scope.manager);
    await repository.lock(a.applicationId);
    const timeZone = isTimeZone(a.timeZone) ? a.timeZone : this.policy.defaultTimeZone;
    const drawnOn = CalendarDate.fromInstant(this.clock.now(), timeZone);
    const draw = drawAudit(randomBytes(16).toString('hex'), a.applicationId, this.policy.auditRatePpm);
    const selection = auditSelection(draw, await repository.failedAuditOfCycle(a.credentialId, a.cycleExpiresOn));
    const lastDay = selection.selected ? auditDeadline(drawnOn, this.policy) : null;
    const inserted = await repository.insertDraw({
      applicationId: a.applicationId,
      trainerId: a.trainerId,
      credentialId: a.credentialId,
      cycleExpiresOn: a.cycleExpiresOn,
      timeZone,
      seed: draw.seed,
      value: draw.value,
      ratePpm: draw.ratePpm,
      ...selection,
      drawnOn,
      lastDay,
      required: selection.selected ? requiredAuditDocuments(a.countedCreditIds) : [],
    });
    if (!inserted) return;
    scope.publish(AuditDrawn, {
      applicationId: a.applicationId,
      trainerId: a.trainerId,
      seed: draw.seed,
      value: draw.value,
      ratePpm: draw.ratePpm,
      selected: selection.selected,
      drawnOn: drawnOn.toString(),
      documentationDueOn: lastDay?.toString() ?? null,
      timeZone,
      forced: selection.forced,
      forcedReason: selection.forcedReason,
    });
    if (!lastDay) return;
    await this.deadlines.schedule(scope, a.applicationId, lastDay, timeZone);
    // Documents uploaded before the draw was recorded count too.
    await this.lifecycle.refresh(scope, a.applicationId);
  }
}
