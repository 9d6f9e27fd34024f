import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import {
  ApplicationSubmitted,
  ApprovedCourseRegistered,
  AuditDocumentUploaded,
  AuditDrawn,
  CeuLedgerChanged,
  CoursePetitionSubmitted,
  CourseCompleted,
  CprAedCardIssued,
  CycleStarted,
  EventDefinition,
  EventEnvelopeSchema,
  MAX_MESSAGE_BYTES,
  PayableSettled,
  PaymentSucceeded,
  PetitionOpened,
  RecomputeTrainerLedger,
  RecertEvents,
  RecertificationApplicationSubmitted,
  TrainerCertified,
} from '@recert/contracts';

/**
 * fast-check arbitraries for the bad-input suite (issue 7): malformed, oversized, wrongly typed,
 * wrongly versioned and hostile messages and requests. Each bad message says what the consumer
 * must answer (`expected`, matched against the dead-letter record's reason).
 */

/** Strings that have broken systems: prototype keys, injection, markup, NUL, lone surrogates, control characters. */
export const HOSTILE_STRINGS: readonly string[] = [
  '__proto__',
  'constructor',
  'prototype',
  "'; DROP TABLE inbox; --",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  'a\u0000b',
  '\u0000',
  '\ud800',
  'x\udc00y',
  '${jndi:ldap://evil/a}',
  '{{7*7}}',
  '../../etc/passwd',
  '%00',
  '\u202eevil',
  '\r\nX-Injected: 1',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '😀'.repeat(50),
];

/** 10,000 levels of nesting (JSON.parse copes; a recursive JSON.stringify does not). */
export const DEEP_ARRAY_JSON = '['.repeat(10_000) + ']'.repeat(10_000);
/** The one deeply nested value: `toJson` writes it out without recursion. */
export const DEEP_ARRAY: unknown = Object.defineProperty(JSON.parse(DEEP_ARRAY_JSON), fc.toStringMethod, {
  value: () => '<an array nested 10,000 deep>', // how fast-check prints it in a counterexample
});
const DEEP_SENTINEL = '\u0001deep-array\u0001';

/** JSON.stringify that can write DEEP_ARRAY anywhere in the value. */
export function toJson(value: unknown): string {
  const text = JSON.stringify(value, (_key, v: unknown) => (v === DEEP_ARRAY ? DEEP_SENTINEL : v)) ?? 'null';
  return text.split(JSON.stringify(DEEP_SENTINEL)).join(DEEP_ARRAY_JSON);
}

/** One valid payload per event, for every topic our services consume: the bad messages are mutations of these. */
export function samplePayloads(): { definition: EventDefinition; payload: Record<string, unknown> }[] {
  const trainerId = 'T-SAMPLE';
  const applicationId = randomUUID();
  return [
    {
      definition: TrainerCertified,
      payload: { trainerId, credentialId: 'CPT-1', certifiedOn: '2024-12-31', expiresOn: '2026-12-31' },
    },
    {
      definition: CourseCompleted,
      payload: { completionId: 'c-1', trainerId, providerId: 'ACE', courseId: 'C-1', completedOn: '2026-03-01' },
    },
    {
      definition: ApprovedCourseRegistered,
      payload: {
        providerId: 'ACE',
        courseId: 'C-1',
        title: 'Course',
        ceuHundredths: 50,
        approvedFrom: '2020-01-01',
        approvedUntil: '2030-12-31',
      },
    },
    {
      definition: CprAedCardIssued,
      payload: {
        cardId: 'card-1',
        trainerId,
        providerId: 'RED-CROSS',
        issuedOn: '2025-06-01',
        expiresOn: '2027-06-01',
        includesAdultCpr: true,
        includesAed: true,
        handsOnSkillsAssessment: true,
      },
    },
    {
      definition: PaymentSucceeded,
      payload: {
        processorEventId: 'evt-1',
        paymentId: 'pay-1',
        payableId: `application-fee:${applicationId}`,
        amountCents: 9_900,
        occurredAt: '2026-11-20T10:00:00Z',
      },
    },
    {
      definition: AuditDocumentUploaded,
      payload: {
        documentId: 'doc-1',
        trainerId,
        applicationId,
        kind: 'cpr-aed-card-front',
        storageRef: 's3://recert-audit/doc-1',
        uploadedAt: '2026-11-21T10:00:00Z',
      },
    },
    {
      definition: RecertificationApplicationSubmitted,
      payload: { applicationId, trainerId, submittedAt: '2026-11-20T10:00:00Z' },
    },
    {
      definition: CoursePetitionSubmitted,
      payload: {
        petitionId: randomUUID(),
        trainerId,
        courseTitle: 'Kettlebell workshop',
        providerName: 'Local Gym Academy',
        completedOn: '2026-04-01',
        contactHours: '3',
        certificateRef: 's3://recert-petitions/p.pdf',
      },
    },
    {
      definition: CycleStarted,
      payload: { trainerId, credentialId: 'CPT-1', startsOn: '2024-12-31', expiresOn: '2026-12-31', timeZone: 'UTC' },
    },
    {
      definition: ApplicationSubmitted,
      payload: {
        applicationId,
        trainerId,
        credentialId: 'CPT-1',
        timeZone: 'UTC',
        cycleExpiresOn: '2026-12-31',
        receivedOn: '2026-11-20',
        fee: { tier: 'standard', lines: [{ kind: 'standard', amountCents: 9_900 }], totalCents: 9_900 },
        countedCreditIds: ['c-1'],
      },
    },
    {
      definition: CeuLedgerChanged,
      payload: {
        trainerId,
        credentialId: 'CPT-1',
        cycleExpiresOn: '2026-12-31',
        revision: 1,
        totalCeuHundredths: 190,
        counted: [{ source: 'approved-course', id: 'c-1', ceuHundredths: 190, completedOn: '2026-03-01' }],
        cprAedCards: [],
      },
    },
    {
      definition: PayableSettled,
      payload: {
        payableId: `application-fee:${applicationId}`,
        purpose: 'application-fee',
        referenceId: applicationId,
        trainerId,
        amountCents: 9_900,
        paymentId: 'pay-1',
      },
    },
    {
      definition: AuditDrawn,
      payload: {
        applicationId,
        trainerId,
        seed: 'ab',
        value: 1,
        ratePpm: 0,
        selected: false,
        drawnOn: '2026-11-20',
        documentationDueOn: null,
      },
    },
    { definition: PetitionOpened, payload: { petitionId: randomUUID(), trainerId, feeCents: 2_500 } },
    { definition: RecomputeTrainerLedger, payload: { trainerId, providerId: 'ACE', courseId: 'C-1' } },
  ];
}

/** A valid envelope around a payload (what a well-behaved producer sends). */
export function envelopeOf(definition: EventDefinition, payload: unknown): Record<string, unknown> {
  const id = randomUUID();
  return {
    id,
    type: definition.type,
    version: definition.version,
    occurredAt: '2026-11-20T10:00:00.000Z',
    producer: 'bad-input-suite',
    correlationId: id,
    causationId: null,
    key: 'T-SAMPLE',
    payload,
  };
}

/** Sets a property as JSON.parse would: an own, enumerable `__proto__` is a key, not the prototype. */
export function withKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  return target;
}

/** Values wrong for some field: wrong types, out of range, impossible dates, NaN-ish strings, hostile text, deep nesting. */
export const badFieldValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(
    -1,
    -2_500,
    0.5,
    1e21,
    Number.MAX_SAFE_INTEGER + 2,
    'NaN',
    'Infinity',
    '-1',
    '',
    '2026-02-30',
    '2026-13-01',
    '2025-02-29',
    '2026-02-30T10:00:00Z',
    '26-1-1',
    true,
    null,
    [],
    {},
    'x'.repeat(301),
    'not-a-uuid',
  ),
  fc.constantFrom<unknown>(...HOSTILE_STRINGS),
  fc.integer({ min: -1_000_000_000, max: -1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
  fc.string({ maxLength: 30 }),
  fc.constant(DEEP_ARRAY),
);

export interface BadMessage {
  /** Which contract the message breaks. */
  kind: string;
  /** The message's bytes as text. */
  value: string;
  /** What the dead-letter record's reason must say. */
  expected: RegExp;
}

const ENVELOPE_FIELDS = ['id', 'type', 'version', 'occurredAt', 'producer', 'correlationId', 'causationId', 'key'];
const MISSING = Symbol('missing');

function notJson(text: string): boolean {
  try {
    JSON.parse(text);
    return false;
  } catch {
    return true;
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Paths of the problems the contract finds, as the reason names them (e.g. `payload.amountCents`). */
function issuePaths(definition: EventDefinition, payload: unknown): string[] {
  const parsed = definition.schema.safeParse(payload);
  return parsed.success ? [] : parsed.error.issues.map((i) => ['payload', ...i.path.map(String)].join('.'));
}

/**
 * Bad messages for one topic, built from a valid sample of an event of that topic. `others` are
 * samples of other topics (a valid event on the wrong topic is bad too).
 */
export function badMessages(
  sample: { definition: EventDefinition; payload: Record<string, unknown> },
  other: { definition: EventDefinition; payload: Record<string, unknown> },
): fc.Arbitrary<BadMessage> {
  const { definition, payload } = sample;
  const label = `${definition.type} v${definition.version}`;
  const validJson = JSON.stringify(envelopeOf(definition, payload));
  const notJsonAt = /^message is not valid JSON$/;

  const notJsonText = fc
    .oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('{', '{"id":', "{'type':1}", 'undefined', 'NaN', '\u0000', '{"a":1}}', '[1,]', '', '\ud800'),
    )
    .filter(notJson)
    .map((value): BadMessage => ({ kind: 'not JSON', value, expected: notJsonAt }));

  const truncated = fc
    .integer({ min: 1, max: validJson.length - 1 })
    .map((at) => validJson.slice(0, at))
    .filter(notJson)
    .map((value): BadMessage => ({ kind: 'truncated JSON', value, expected: notJsonAt }));

  const notAnObject = fc
    .oneof(
      fc.jsonValue().filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
      fc.constant(DEEP_ARRAY),
    )
    .map(
      (v): BadMessage => ({
        kind: 'JSON that is not an object',
        value: toJson(v),
        expected: /^invalid envelope: .*expected object/,
      }),
    );

  const envelopeField = fc
    .record({
      field: fc.constantFrom(...ENVELOPE_FIELDS),
      bad: fc.oneof(fc.constant<unknown>(MISSING), badFieldValue, fc.integer()),
    })
    .map(({ field, bad }) => {
      const envelope = envelopeOf(definition, payload);
      if (bad === MISSING) delete envelope[field];
      else envelope[field] = bad;
      return { field, envelope };
    })
    .filter(({ envelope }) => !EventEnvelopeSchema.safeParse(envelope).success)
    .map(
      ({ field, envelope }): BadMessage => ({
        kind: `envelope field ${field} missing or wrongly typed`,
        value: toJson(envelope),
        expected: new RegExp(`^invalid envelope: (.*; )?${field}: `),
      }),
    );

  const unknownType = fc
    .oneof(fc.string({ minLength: 1, maxLength: 100 }), fc.constantFrom(...HOSTILE_STRINGS))
    .filter((type) => type.trim().length > 0 && RecertEvents.versionsOf(type).length === 0)
    .map(
      (type): BadMessage => ({
        kind: 'unknown event type',
        value: JSON.stringify({ ...envelopeOf(definition, payload), type }),
        expected: /^unknown event type /,
      }),
    );

  // Versions the catalog does not hold for this type (a type may have several, e.g. v1 and v2).
  const known = RecertEvents.versionsOf(definition.type);
  const unknownVersion = new RegExp(`is not a known version \\(known: ${known.map((v) => `v${v}`).join(', ')}\\)`);
  const wrongVersion = fc
    .oneof(
      fc
        .integer({ min: 2, max: 2 ** 31 })
        .filter((version) => !known.includes(version))
        .map((version) => ({ version, expected: unknownVersion })),
      fc
        .constantFrom<unknown>(0, -1, 1.5, '1', null, 'v1', Infinity)
        .map((version) => ({ version, expected: /^invalid envelope: (.*; )?version: / })),
    )
    .map(
      ({ version, expected }): BadMessage => ({
        kind: 'unsupported or wrong version',
        value: JSON.stringify({ ...envelopeOf(definition, payload), version }),
        expected,
      }),
    );

  const wrongTopic = fc.constant(other).map(
    (o): BadMessage => ({
      kind: 'a valid event on the wrong topic',
      value: JSON.stringify(envelopeOf(o.definition, o.payload)),
      expected: new RegExp(
        `^${o.definition.type} v${o.definition.version} belongs on ${escape(o.definition.topic.name)}, not `,
      ),
    }),
  );

  const payloadField = fc
    .record({ field: fc.constantFrom(...Object.keys(payload)), bad: badFieldValue })
    .map(({ field, bad }) => ({ field, mutated: { ...payload, [field]: bad } }))
    .filter(({ mutated }) => issuePaths(definition, mutated).length > 0)
    .map(({ field, mutated }): BadMessage => {
      const paths = issuePaths(definition, mutated);
      const named = paths.includes(`payload.${field}`) ? [`payload.${field}`] : paths;
      return {
        kind: `payload field ${field} wrongly typed or out of range`,
        value: toJson(envelopeOf(definition, mutated)),
        expected: new RegExp(`^${label}: (.*; )?(${named.map(escape).join('|')})(:|\\.)`),
      };
    });

  const hostileKey = fc
    .constantFrom('__proto__', 'constructor', 'prototype', "'; DROP TABLE inbox; --", '<script>')
    .map(
      (key): BadMessage => ({
        kind: `hostile key ${key} in the payload`,
        value: JSON.stringify(envelopeOf(definition, withKey({ ...payload }, key, { polluted: true }))),
        expected: new RegExp(`^${label}: payload: Unrecognized key`),
      }),
    );

  // Free text the schema takes (titles, references, reasons) but PostgreSQL cannot store.
  const textFields = Object.keys(payload).filter(
    (field) =>
      typeof payload[field] === 'string' && definition.schema.safeParse({ ...payload, [field]: 'a\u0000b' }).success,
  );
  const unstorableText = fc
    .record({
      field: fc.constantFrom(...(textFields.length ? textFields : Object.keys(payload))),
      text: fc.constantFrom('a\u0000b', '\ud800', 'x\udc00y', '\u0000'),
    })
    .map(({ field, text }) => ({ field, mutated: { ...payload, [field]: text } }))
    .map(
      ({ field, mutated }): BadMessage => ({
        kind: `NUL or unpaired surrogate in ${field}`,
        value: JSON.stringify(envelopeOf(definition, mutated)),
        expected: new RegExp(`^${label}: (.*; )?payload\\.${field}(:|\\.)`),
      }),
    );

  const oversized = fc.integer({ min: MAX_MESSAGE_BYTES + 1, max: 900 * 1024 }).map(
    (size): BadMessage => ({
      kind: `oversized (${size} bytes)`,
      value: JSON.stringify(envelopeOf(definition, { ...payload, padding: 'x'.repeat(size) })),
      expected: new RegExp(`^message is \\d+ bytes; the limit is ${MAX_MESSAGE_BYTES}$`),
    }),
  );

  return fc.oneof(
    notJsonText,
    truncated,
    notAnObject,
    envelopeField,
    unknownType,
    wrongVersion,
    wrongTopic,
    payloadField,
    hostileKey,
    unstorableText,
    { arbitrary: oversized, weight: 1 },
  );
}

/** Bad values for a documented query parameter or a path parameter. */
export const badParam: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...HOSTILE_STRINGS),
  fc.constantFrom('-1', '0', '501', '1e309', '2026-02-30', 'abc', ' ', 'x'.repeat(2_000)),
  fc.string({ minLength: 1, maxLength: 50 }),
);

/** Percent-encodes every byte (lone surrogates become U+FFFD on the way, as any client would send them). */
export function encodeAll(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('');
}
