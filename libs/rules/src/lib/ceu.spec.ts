import fc from 'fast-check';
import { ceuFromContactHours, ceuHundredths, formatCeu, parseCeu, sumCeu } from './ceu';
import { cents, formatCents, sumCents } from './money';

describe('CEUs are exact (R3)', () => {
  it('R3: nineteen 1-hour courses are exactly 1.9 CEU', () => {
    const total = sumCeu(Array.from({ length: 19 }, () => ceuFromContactHours('1')));
    expect(total).toBe(190);
    expect(formatCeu(total)).toBe('1.9');
  });

  it('R3: 1.5 contact hours are 0.15 CEU', () => {
    expect(ceuFromContactHours('1.5')).toBe(15);
    expect(formatCeu(ceuFromContactHours('1.5'))).toBe('0.15');
  });

  it('R3: formats and parses CEU amounts', () => {
    expect([0, 10, 100, 200, 5].map((v) => formatCeu(ceuHundredths(v)))).toEqual(['0.0', '0.1', '1.0', '2.0', '0.05']);
    expect(['0.1', '1.9', '0.15', '2'].map(parseCeu)).toEqual([10, 190, 15, 200]);
  });

  it.each(['1.25', '-1', 'one', '', '1.', '12345'])('R3: refuses contact hours %p', (hours) => {
    expect(() => ceuFromContactHours(hours)).toThrow(RangeError);
  });

  it.each(['0.125', '-0.1', 'x'])('R3: refuses a CEU amount %p', (text) => {
    expect(() => parseCeu(text)).toThrow(RangeError);
  });

  it('R3: refuses non-integer or negative hundredths', () => {
    expect(() => ceuHundredths(0.1)).toThrow(RangeError);
    expect(() => ceuHundredths(-10)).toThrow(RangeError);
  });

  it('property (R3): summing is exact, commutative and associative', () => {
    const values = fc.array(fc.integer({ min: 0, max: 500 }).map(ceuHundredths), { maxLength: 50 });
    fc.assert(
      fc.property(values, values, (a, b) => {
        const ab = sumCeu([...a, ...b]);
        return ab === sumCeu([...b, ...a]) && ab === sumCeu([sumCeu(a), sumCeu(b)]);
      }),
    );
  });

  it('property (R3): n contact hours of tenths are n hundredths of a CEU, and print back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (tenths) => {
        const hours = `${Math.floor(tenths / 10)}.${tenths % 10}`;
        const ceu = ceuFromContactHours(hours);
        return ceu === tenths && parseCeu(formatCeu(ceu)) === ceu;
      }),
    );
  });
});

describe('money in integer cents', () => {
  it('adds and formats cents', () => {
    expect(formatCents(sumCents([cents(9_900), cents(5_000)]))).toBe('$149.00');
    expect(formatCents(cents(2_505))).toBe('$25.05');
  });

  it('refuses fractions of a cent and negative amounts', () => {
    expect(() => cents(0.5)).toThrow(RangeError);
    expect(() => cents(-1)).toThrow(RangeError);
  });
});
