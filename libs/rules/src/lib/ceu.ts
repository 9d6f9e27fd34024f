/**
 * CEUs as integer hundredths of a CEU (R3), so that nineteen 0.1 CEU courses make exactly 1.9.
 * One contact hour is 0.1 CEU (10 hundredths); a tenth of a contact hour is 0.01 CEU, so 1.5 h
 * is 0.15 CEU (15 hundredths).
 */
export type CeuHundredths = number & { readonly __brand: 'CeuHundredths' };

export function ceuHundredths(value: number): CeuHundredths {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new RangeError(`CEUs are a non-negative whole number of hundredths: ${value}`);
  return value as CeuHundredths;
}

/**
 * Contact hours as a decimal string with at most one decimal ("1", "1.5"): the precision at
 * which hours map exactly onto hundredths of a CEU.
 */
export function ceuFromContactHours(hours: string): CeuHundredths {
  const match = /^(\d{1,4})(?:\.(\d))?$/.exec(hours.trim());
  if (!match) throw new RangeError(`Contact hours are a decimal with at most one decimal place: "${hours}"`);
  return ceuHundredths(Number(match[1]) * 10 + Number(match[2] ?? 0));
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

/** `190` → `"1.9"`, `15` → `"0.15"`, `200` → `"2.0"`. */
export function formatCeu(value: CeuHundredths): string {
  const whole = Math.floor(value / 100);
  const fraction = String(value % 100)
    .padStart(2, '0')
    .replace(/0$/, '');
  return `${whole}.${fraction || '0'}`;
}
