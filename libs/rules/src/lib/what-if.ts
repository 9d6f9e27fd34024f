import { CalendarDate } from './calendar-date';
import { CeuHundredths, ceuHundredths, formatCeu } from './ceu';
import { CeuTally, CourseCompletion, PetitionCredit, tallyCeu } from './completions';
import { checkCprAed, CprAedCard, CprAedCheck } from './cpr-aed';
import { Cycle } from './cycle';
import { cycleDeadlines, Deadline, waiverDeadline } from './deadlines';
import { recertificationFee, RecertificationFee } from './fees';
import { RecertPolicy } from './policy';
import { ProviderRegistry } from './provider-registry.port';
import { checkApplicationWindow, credentialStatusOn, CredentialStatus, CycleWindows, windowsOf } from './windows';

export interface TrainerRecords {
  readonly cycle: Cycle;
  readonly completions: readonly CourseCompletion[];
  readonly petitionCredits: readonly PetitionCredit[];
  readonly cprAedCards: readonly CprAedCard[];
  readonly recertifyForLife?: boolean;
}

export interface WhatIf {
  readonly on: CalendarDate;
  readonly status: CredentialStatus;
  readonly windows: CycleWindows;
  readonly tally: CeuTally;
  readonly missingCeu: CeuHundredths;
  readonly cprAed: CprAedCheck;
  /** What still stands between the trainer and an approvable application, in words. */
  readonly missing: readonly string[];
  /** The fee if the application were received on `on`; null when it would be refused (R9). */
  readonly feeIfReceivedOn: RecertificationFee | null;
  /** Deadlines still ahead (due on or after `on`), in due order. */
  readonly upcomingDeadlines: readonly Deadline[];
}

/** For a trainer's records and a date: what is missing, which deadlines apply, and the fee due that day. */
export function whatIf(
  records: TrainerRecords,
  on: CalendarDate,
  registry: ProviderRegistry,
  policy: RecertPolicy,
): WhatIf {
  const tally = tallyCeu(records.cycle, records.completions, records.petitionCredits, registry, policy);
  const missingCeu = ceuHundredths(Math.max(0, policy.requiredCourseCeu - tally.totalCeu));
  const cprAed = checkCprAed(records.cprAedCards, on, policy);
  const window = checkApplicationWindow(records.cycle, on, policy);
  const missing: string[] = [];
  if (missingCeu > 0) missing.push(`R2: ${formatCeu(missingCeu)} more CEUs from courses`);
  if (!cprAed.valid) missing.push(...cprAed.reasons);
  if (!window.accepted) missing.push(window.reason);
  const waiverEnd = waiverDeadline(policy);
  return {
    on,
    status: credentialStatusOn(records.cycle, on, policy),
    windows: windowsOf(records.cycle, policy),
    tally,
    missingCeu,
    cprAed,
    missing,
    feeIfReceivedOn: window.accepted
      ? recertificationFee(records.cycle, on, policy, { recertifyForLife: records.recertifyForLife })
      : null,
    upcomingDeadlines: [...cycleDeadlines(records.cycle, policy), ...(waiverEnd ? [waiverEnd] : [])]
      .filter((d) => !d.dueOn.isBefore(on))
      .sort((a, b) => a.dueOn.compare(b.dueOn)),
  };
}
