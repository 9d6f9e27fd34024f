/**
 * What the load generator plays, trainer by trainer, and what must come of it. Every expected
 * outcome, fee, counted credit and failed rule below is written by hand from DOMAIN.md (its
 * policy defaults), never computed with libs/rules: a test that asks the code under test's own
 * library what the answer is shows agreement, not correctness (issue 12).
 *
 * Each kind is a life the credentialing body sees every day; the mix is fixed so that any N holds
 * every kind (from N = 20) and two runs of the same N are comparable. Every date is laid out
 * relative to the SYSTEM's calendar day when the generator submits ("received" is the system's
 * instant, R9/R10), and every offset is far enough from a boundary of R4/R7/R9/R10 that the same
 * outcome holds if receipt falls a few days either side of that day (see DAY_MARGIN).
 */
export type TrainerKind =
  | 'on-time' // a pre-approved 1.9-CEU course, a current card, applies 60 days before expiry: $99
  | 'petition' // NASM's own 1.0 CEU + a petitioned workshop granted 0.9 CEU (R6): $25 + $99
  | 'late' // applies 30 days after expiry, its course taken 10 days after expiry (R4, R10): $129
  | 'additional' // applies 120 days after expiry (R10 additional fee): $149
  | 'short-of-ceu' // only 1.0 CEU (R2): refused
  | 'cpr-expired' // the card expired 10 days before applying (R7): refused
  | 'lapsed' // applies 400 days after expiry (R9): refused
  | 'never-applies'; // qualifies but never applies: the deadlines run their course

const MIX: readonly TrainerKind[] = [
  ...Array<TrainerKind>(9).fill('on-time'),
  'petition',
  'petition',
  'late',
  'late',
  'late',
  'additional',
  'short-of-ceu',
  'short-of-ceu',
  'cpr-expired',
  'lapsed',
  'never-applies',
];

/**
 * How many days the system's receipt day may drift from the plan's day with every expectation
 * still right: the nearest boundary of any kind is 10 days away (cpr-expired's card, late's
 * course after expiry, never-applies' expiry at +20 with its "active" status).
 */
export const DAY_MARGIN = 5;

/** 'YYYY-MM-DD' calendar dates, plain arithmetic through UTC (DOMAIN.md: dates are calendar dates). */
export type Day = string;

export function addDays(day: Day, days: number): Day {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Same day `years` later; 29 February becomes 28 February in a year without one (R1's choice). */
export function addYears(day: Day, years: number): Day {
  const [y, m, d] = day.split('-').map(Number);
  const lastOfMonth = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
  return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, lastOfMonth)).padStart(2, '0')}`;
}

/** Whole days from `from` to `to`. */
export function daysBetween(from: Day, to: Day): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** A course of the registry (R5), as ApprovedCourseRegistered carries it. */
export interface RunCourse {
  providerId: string;
  courseId: string;
  ceuHundredths: number;
  approvedFrom: Day;
  approvedUntil: Day;
  nasmOwn: boolean;
}

/** The courses every trainer of a run draws on (R5): one worth 1.9 CEU, one 1.0, and NASM's own 1.0. */
export function runCourses(run: string, today: Day): { full: RunCourse; half: RunCourse; nasmOwn: RunCourse } {
  const course = (providerId: string, courseId: string, ceuHundredths: number, nasmOwn = false): RunCourse => ({
    providerId,
    courseId: `${courseId}-${run}`,
    ceuHundredths,
    // Approved for the whole span of every plan's completions (R5: approved on the completion date).
    approvedFrom: addYears(today, -5),
    approvedUntil: addYears(today, 5),
    nasmOwn,
  });
  return {
    full: course('ACE', 'FULL', 190),
    half: course('ACE', 'HALF', 100),
    nasmOwn: course('NASM', 'OWN', 100, true),
  };
}

export interface PlannedCompletion {
  completionId: string;
  providerId: string;
  courseId: string;
  completedOn: Day;
}

export interface PlannedPetition {
  petitionId: string;
  courseTitle: string;
  completedOn: Day;
  contactHours: string;
  /** What the reviewer grants, as staff type it. */
  ceuGranted: string;
}

export interface PlannedCard {
  cardId: string;
  issuedOn: Day;
  expiresOn: Day;
  includesAdultCpr: boolean;
  includesAed: boolean;
  handsOnSkillsAssessment: boolean;
}

export interface TrainerPlan {
  trainerId: string;
  credentialId: string;
  kind: TrainerKind;
  /** The plan's day: the system's calendar day on which the generator submits (UTC, the default zone). */
  today: Day;
  cycle: { startsOn: Day; expiresOn: Day };
  completions: PlannedCompletion[];
  petition?: PlannedPetition;
  card: PlannedCard;
  /** The application's id, when this trainer applies (on the plan's day). */
  applicationId?: string;
  /** The CEU ledger's total once every credit is in (hundredths): the trainer applies after that. */
  ledgerCeuHundredths: number;
  expected: ExpectedOutcome;
}

export type ExpectedOutcome =
  | {
      status: 'approved' | 'denied';
      feeTotalCents: number;
      /** Also the credits the approval consumes ("Credits are used once", R4). */
      countedCreditIds: string[];
      failedRules: string[];
    }
  | { status: 'refused'; rules: string[]; countedCreditIds: string[] }
  | {
      status: 'no-application';
      /** On the plan's day. */
      credentialStatus: 'active' | 'expired' | 'lapsed';
      /** R8/R9: expiration + 1 year; the fault suite moves the clock past it. */
      lapsesOn: Day;
    };

/**
 * Each kind laid out by hand, relative to the plan's day T (the receipt day). Fees in cents, DOMAIN.md
 * R6/R10 defaults: standard $99, late $30 (1–90 days after), additional $50 (91 days to a year,
 * not stacked with the late fee), petition $25 (paid before review, not part of the application):
 *
 * | kind          | expires | courses (completed)                         | card expires | ledger | outcome                      |
 * |---------------|---------|---------------------------------------------|--------------|--------|------------------------------|
 * | on-time       | T+60    | FULL 1.9 (expiry−101)                       | T+1y         | 1.9    | approved, $99 = 9_900        |
 * | petition      | T+60    | NASM 1.0 (expiry−101), petition 0.9 (−120)  | T+1y         | 1.9    | approved, 9_900 (+ $25 paid) |
 * | late          | T−30    | FULL 1.9 (expiry+10: inside the 90 days)    | T+1y         | 1.9    | approved, 9_900+3_000=12_900 |
 * | additional    | T−120   | FULL 1.9 (expiry−101)                       | T+1y         | 1.9    | approved, 9_900+5_000=14_900 |
 * | short-of-ceu  | T+60    | HALF 1.0 (expiry−101)                       | T+1y         | 1.0    | refused R2 (1.0 < 1.9)       |
 * | cpr-expired   | T+60    | FULL 1.9 (expiry−101)                       | T−10         | 1.9    | refused R7 (card expired)    |
 * | lapsed        | T−400   | FULL 1.9 (expiry−101)                       | T+1y         | 1.9    | refused R9 (> 1 year after)  |
 * | never-applies | T+20    | FULL 1.9 (expiry−101)                       | T+1y         | 1.9    | none; active on T, lapses at expiry+1y |
 *
 * Why each one: on-time applies within the last 6 months of its cycle with 1.9 CEU of courses and
 * a current card (R2, R7). Late's course, taken after expiry, counts (R4: within 90 days after
 * expiration), is inside the next cycle, and once the approval consumes it, it must never count
 * for that next cycle ("Credits are used once"). Lapsed has every requirement met but the window
 * (R9); its card is current and its course inside the cycle, so only R9 fails. Refused kinds pay
 * nothing: a refusal fixes no fee.
 */
export function planTrainer(run: string, index: number, today: Day, id: (what: string) => string): TrainerPlan {
  const kind = MIX[index % MIX.length];
  const trainerId = `L${run}-${index}`.toUpperCase();
  const credentialId = `CPT-${trainerId}`;
  const { full, half, nasmOwn } = runCourses(run, today);
  const expiresOn = addDays(
    today,
    { late: -30, additional: -120, lapsed: -400, 'never-applies': 20 }[kind as string] ?? 60,
  );
  // Inside the cycle, well before expiry; late's after expiry but within the 90 days (R4).
  const courseDay = kind === 'late' ? addDays(expiresOn, 10) : addDays(expiresOn, -101);
  const c1 = `${trainerId}-c1`;
  const completion = (course: RunCourse): PlannedCompletion => ({
    completionId: c1,
    providerId: course.providerId,
    courseId: course.courseId,
    completedOn: courseDay,
  });
  const completions = [completion(kind === 'petition' ? nasmOwn : kind === 'short-of-ceu' ? half : full)];
  const petitionId = kind === 'petition' ? id(`petition:${trainerId}`) : undefined;
  const petition: PlannedPetition | undefined = petitionId
    ? {
        petitionId,
        courseTitle: 'Kettlebell workshop',
        completedOn: addDays(expiresOn, -120),
        contactHours: '9',
        ceuGranted: '0.9',
      }
    : undefined;
  const cardExpiresOn = kind === 'cpr-expired' ? addDays(today, -10) : addYears(today, 1);
  const card: PlannedCard = {
    cardId: `${trainerId}-cpr`,
    issuedOn: addYears(cardExpiresOn, -2),
    expiresOn: cardExpiresOn,
    includesAdultCpr: true,
    includesAed: true,
    handsOnSkillsAssessment: true,
  };
  const applicationId = kind === 'never-applies' ? undefined : id(`application:${trainerId}`);
  const counted = petitionId ? [c1, petitionId].sort() : [c1];
  const approved = (feeTotalCents: number): ExpectedOutcome => ({
    status: 'approved',
    feeTotalCents,
    countedCreditIds: counted,
    failedRules: [],
  });
  const refused = (rule: string): ExpectedOutcome => ({ status: 'refused', rules: [rule], countedCreditIds: counted });
  const expected: Record<TrainerKind, ExpectedOutcome> = {
    'on-time': approved(9_900),
    petition: approved(9_900),
    late: approved(12_900),
    additional: approved(14_900),
    'short-of-ceu': refused('R2'),
    'cpr-expired': refused('R7'),
    lapsed: refused('R9'),
    'never-applies': { status: 'no-application', credentialStatus: 'active', lapsesOn: addYears(expiresOn, 1) },
  };
  return {
    trainerId,
    credentialId,
    kind,
    today,
    cycle: { startsOn: addYears(expiresOn, -2), expiresOn },
    completions,
    petition,
    card,
    applicationId,
    ledgerCeuHundredths: kind === 'short-of-ceu' ? 100 : 190,
    expected: expected[kind],
  };
}
