import fc from 'fast-check';
import { cents, formatCents, outstandingCents, sumCents, ZERO_CENTS } from './money';

describe('R6/R10: money in integer cents', () => {
  it('R10: adds and formats cents ($99 + $50 = $149.00)', () => {
    expect(formatCents(sumCents([cents(9_900), cents(5_000)]))).toBe('$149.00');
    expect(formatCents(cents(2_505))).toBe('$25.05');
    expect(formatCents(ZERO_CENTS)).toBe('$0.00');
    expect(sumCents([])).toBe(0);
  });

  it('R10: refuses fractions of a cent and negative amounts', () => {
    expect(() => cents(0.5)).toThrow(RangeError);
    expect(() => cents(-1)).toThrow(RangeError);
    expect(() => cents(Number.NaN)).toThrow(RangeError);
  });

  it('R10: what is outstanding is never negative', () => {
    expect(outstandingCents(cents(12_900), cents(9_900))).toBe(3_000);
    expect(outstandingCents(cents(9_900), cents(12_900))).toBe(0);
  });

  it('R10 property: sums of cents are exact, commutative and associative', () => {
    const amounts = fc.array(fc.integer({ min: 0, max: 1_000_000 }).map(cents), { maxLength: 30 });
    fc.assert(
      fc.property(amounts, amounts, (a, b) => {
        const ab = sumCents([...a, ...b]);
        return ab === sumCents([...b, ...a]) && ab === sumCents([sumCents(a), sumCents(b)]) && Number.isInteger(ab);
      }),
    );
  });
});
