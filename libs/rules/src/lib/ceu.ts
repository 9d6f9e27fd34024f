/**
 * CEUs as integer hundredths of a CEU (R3), so that nineteen 0.1 CEU courses make exactly 1.9:
 * one contact hour is 0.1 CEU (10 hundredths), a tenth of a contact hour (6 minutes) is 0.01
 * CEU, so 1.5 h is 0.15 CEU (15 hundredths). No float ever takes part in CEU arithmetic.
 */
export type CeuHundredths = number & { readonly __brand: 'CeuHundredths' };

/** R3: one contact hour is 0.1 CEU. */
export const CEU_HUNDREDTHS_PER_CONTACT_HOUR = 10;
/** R3: 60 minutes make 10 hundredths of a CEU, so 6 minutes make one. */
const MINUTES_PER_CEU_HUNDREDTH = 60 / CEU_HUNDREDTHS_PER_CONTACT_HOUR;

export function ceuHundredths(value: number): CeuHundredths {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`CEUs are a non-negative whole number of hundredths: ${value}`);
  return value as CeuHundredths;
}

/**
 * R3: contact hours typed as a decimal with at most one decimal place ("1", "1.5", or the number
 * 1.5) — the precision at which hours map exactly onto hundredths of a CEU. Finer durations come
 * as minutes (`ceuFromContactMinutes`).
 */
export function ceuFromContactHours(hours: string | number): CeuHundredths {
  const text = typeof hours === 'number' ? String(hours) : hours.trim();
  const match = /^(\d{1,4})(?:\.(\d))?$/.exec(text);
  if (!match) throw new RangeError(`Contact hours are a decimal with at most one decimal place: "${hours}"`);
  return ceuHundredths(Number(match[1]) * CEU_HUNDREDTHS_PER_CONTACT_HOUR + Number(match[2] ?? 0));
}

/**
 * R3: contact time as whole minutes (what learning platforms report). Credit accrues in whole
 * hundredths of a CEU (6 minutes each); a remainder under 6 minutes is not credited — rounding
 * down, never up, so no one is credited time not spent (90 min → 0.15, 50 min → 0.08).
 */
export function ceuFromContactMinutes(minutes: number): CeuHundredths {
  if (!Number.isSafeInteger(minutes) || minutes < 0)
    throw new RangeError(`Contact minutes are a non-negative whole number: ${minutes}`);
  return ceuHundredths(Math.floor(minutes / MINUTES_PER_CEU_HUNDREDTH));
}

/** Parses a CEU amount such as "0.1", "1.9" or "0.15" (at most two decimals). */
export function parseCeu(text: string): CeuHundredths {
  const match = /^(\d{1,3})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) throw new RangeError(`A CEU amount has at most two decimals: "${text}"`);
  return ceuHundredths(Number(match[1]) * 100 + Number((match[2] ?? '0').padEnd(2, '0')));
}

export function sumCeu(values: readonly CeuHundredths[]): CeuHundredths {
  return ceuHundredths(values.reduce((total, v) => total + v, 0));
}

/** How much of `required` `have` still leaves open (zero once met; a surplus is not negative). */
export function ceuShortfall(required: CeuHundredths, have: CeuHundredths): CeuHundredths {
  return ceuHundredths(Math.max(0, required - have));
}

/** `190` → `"1.9"`, `15` → `"0.15"`, `200` → `"2.0"`. */
export function formatCeu(value: CeuHundredths): string {
  const whole = Math.floor(value / 100);
  // Two digits, less a trailing zero: "00" → "0", "10" → "1", "05" and "15" stay.
  const fraction = String(value % 100)
    .padStart(2, '0')
    .replace(/(\d)0$/, '$1');
  return `${whole}.${fraction}`;
}
