import {
  CalendarDate,
  CeuTally,
  ceuHundredths,
  checkApplicationWindow,
  checkCprAed,
  CourseApproval,
  CourseCompletion,
  CprAedCard,
  credentialStatusOn,
  cycle,
  Cycle,
  decide,
  InMemoryProviderRegistry,
  parseCeu,
  PetitionCredit,
  RecertPolicy,
  recertificationFee,
  tallyCeu,
} from '@recert/rules';

/**
 * What the load generator plays, trainer by trainer, and what the rules library says must come
 * of it. Each kind is a life the credentialing body sees every day; the mix is fixed so that any
 * N holds every kind (from N = 20) and two runs of the same N are comparable.
 */
export type TrainerKind =
  | 'on-time' // a pre-approved 1.9-CEU course, a current card, applies 60 days before expiry: $99
  | 'petition' // NASM's own 1.0 CEU + a petitioned workshop granted 0.9 CEU (R6): $25 + $99
  | 'late' // applies 30 days after expiry (R10 late fee): $129
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

/** The courses every trainer of a run draws on (R5): one worth 1.9 CEU, one 1.0, and NASM's own 1.0. */
export function runCourses(run: string, today: CalendarDate): CourseApproval[] {
  const approval = (providerId: string, courseId: string, ceu: number, nasmOwn = false): CourseApproval => ({
    providerId,
    courseId: `${courseId}-${run}`,
    ceu: ceuHundredths(ceu),
    approvedFrom: today.addYears(-5),
    approvedUntil: today.addYears(5),
    nasmOwn,
  });
  return [approval('ACE', 'FULL', 190), approval('ACE', 'HALF', 100), approval('NASM', 'OWN', 100, true)];
}

export interface PlannedPetition {
  petitionId: string;
  courseTitle: string;
  completedOn: CalendarDate;
  contactHours: string;
  /** What the reviewer grants, as staff type it. */
  ceuGranted: string;
}

export interface TrainerPlan {
  trainerId: string;
  kind: TrainerKind;
  cycle: Cycle;
  completions: CourseCompletion[];
  petition?: PlannedPetition;
  card: CprAedCard;
  /** The application's id, when this trainer applies (on the run's day). */
  applicationId?: string;
  /** The CEU ledger's total once every credit is in: the trainer applies after that. */
  ledgerCeuHundredths: number;
  expected: ExpectedOutcome;
}

export type ExpectedOutcome =
  | { status: 'approved' | 'denied'; feeTotalCents: number; countedCreditIds: string[]; failedRules: string[] }
  | { status: 'refused'; rules: string[] }
  | { status: 'no-application'; credentialStatus: 'active' | 'expired' | 'lapsed' };

/**
 * The plan of trainer `index` of a run whose day is `today`. `id` makes the UUIDs the portal and
 * petition system would choose (deterministic per run, so a plan can be rebuilt).
 */
export function planTrainer(
  run: string,
  index: number,
  today: CalendarDate,
  id: (what: string) => string,
  policy: RecertPolicy,
): TrainerPlan {
  const kind = MIX[index % MIX.length];
  const trainerId = `L${run}-${index}`.toUpperCase();
  const [full, half, nasmOwn] = runCourses(run, today);
  const expiresOn = today.addDays(
    { late: -30, additional: -120, lapsed: -400, 'never-applies': 20 }[kind as string] ?? 60,
  );
  const current = cycle(expiresOn.addYears(-2), expiresOn);
  // Courses are taken well inside the cycle, before any grace period question (R4).
  const courseDay = expiresOn.addDays(-100);
  const completion = (approval: CourseApproval, n: number): CourseCompletion => ({
    completionId: `${trainerId}-c${n}`,
    providerId: approval.providerId,
    courseId: approval.courseId,
    completedOn: courseDay.addDays(-n),
  });
  const completions =
    kind === 'petition'
      ? [completion(nasmOwn, 1)]
      : kind === 'short-of-ceu'
        ? [completion(half, 1)]
        : [completion(full, 1)];
  const petition: PlannedPetition | undefined =
    kind === 'petition'
      ? {
          petitionId: id(`petition:${trainerId}`),
          courseTitle: 'Kettlebell workshop',
          completedOn: courseDay.addDays(-20),
          contactHours: '9',
          ceuGranted: '0.9',
        }
      : undefined;
  const cardExpiresOn = kind === 'cpr-expired' ? today.addDays(-10) : today.addYears(1);
  const card: CprAedCard = {
    cardId: `${trainerId}-cpr`,
    issuedOn: cardExpiresOn.addYears(-2),
    expiresOn: cardExpiresOn,
    includesAdultCpr: true,
    includesAed: true,
    handsOnSkillsAssessment: true,
  };
  const applicationId = kind === 'never-applies' ? undefined : id(`application:${trainerId}`);
  const plan = { trainerId, kind, cycle: current, completions, petition, card, applicationId };
  const tally = tallyOf(plan, [full, half, nasmOwn], policy);
  return { ...plan, ledgerCeuHundredths: tally.totalCeu, expected: expectedOutcome(plan, tally, today, policy) };
}

/** R2–R6: what the plan's trainer has counted toward the cycle, as the CEU service must tally it. */
export function tallyOf(
  plan: Omit<TrainerPlan, 'expected' | 'ledgerCeuHundredths'>,
  approvals: CourseApproval[],
  policy: RecertPolicy,
): CeuTally {
  const credits: PetitionCredit[] = plan.petition
    ? [
        {
          petitionId: plan.petition.petitionId,
          ceu: parseCeu(plan.petition.ceuGranted),
          completedOn: plan.petition.completedOn,
        },
      ]
    : [];
  return tallyCeu(plan.cycle, plan.completions, credits, new InMemoryProviderRegistry(approvals), policy);
}

/**
 * What the rules library says of a plan on `today`: refused on receipt (R2, R7, R9), else the
 * fee fixed at receipt (R10) and the decision once it is paid and any audit passed (R12).
 */
export function expectedOutcome(
  plan: Omit<TrainerPlan, 'expected' | 'ledgerCeuHundredths'>,
  tally: CeuTally,
  today: CalendarDate,
  policy: RecertPolicy,
): ExpectedOutcome {
  if (!plan.applicationId)
    return { status: 'no-application', credentialStatus: credentialStatusOn(plan.cycle, today, policy) };
  const cprAed = checkCprAed([plan.card], today, policy);
  const window = checkApplicationWindow(plan.cycle, today, policy);
  const rules = [
    ...(tally.totalCeu < policy.requiredCourseCeu ? ['R2'] : []),
    ...(cprAed.valid ? [] : ['R7']),
    ...(window.accepted ? [] : ['R9']),
  ];
  if (rules.length > 0) return { status: 'refused', rules };
  const fee = recertificationFee(plan.cycle, today, policy);
  const decision = decide(
    { cycle: plan.cycle, receivedOn: today, tally, cprAed, fee, feePaid: true, audit: 'passed' },
    policy,
  );
  if (decision.outcome === 'pending') throw new Error(`plan of ${plan.trainerId} cannot be decided`);
  return {
    status: decision.outcome,
    feeTotalCents: fee.total,
    countedCreditIds: tally.counted.map((c) => c.id),
    failedRules: [...decision.failedRules],
  };
}
