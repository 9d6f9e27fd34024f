import fc from 'fast-check';
import {
  CEU_HUNDREDTHS_PER_CONTACT_HOUR,
  ceuFromContactHours,
  ceuFromContactMinutes,
  ceuHundredths,
  ceuShortfall,
  formatCeu,
  parseCeu,
  sumCeu,
} from './ceu';

describe('R3: CEUs are exact integers of hundredths', () => {
  it('R3: nineteen 1-hour courses are exactly 1.9 CEU', () => {
    const total = sumCeu(Array.from({ length: 19 }, () => ceuFromContactHours('1')));
    expect(total).toBe(190);
    expect(total).toBe(parseCeu('1.9'));
    expect(formatCeu(total)).toBe('1.9');
    // The float version of the same sum is not 1.9: the reason CEUs are integers.
    expect(Array.from({ length: 19 }, () => 0.1).reduce((a, b) => a + b, 0)).not.toBe(1.9);
  });

  it('R3: 1.5 contact hours are 0.15 CEU, as a string, a number or 90 minutes', () => {
    expect(ceuFromContactHours('1.5')).toBe(15);
    expect(ceuFromContactHours(1.5)).toBe(15);
    expect(ceuFromContactMinutes(90)).toBe(15);
    expect(formatCeu(ceuFromContactHours('1.5'))).toBe('0.15');
    expect(CEU_HUNDREDTHS_PER_CONTACT_HOUR).toBe(10);
  });

  it('R3: contact minutes credit whole 6-minute hundredths, rounding down', () => {
    expect([0, 5, 6, 50, 59, 60, 61, 1_140].map(ceuFromContactMinutes)).toEqual([0, 0, 1, 8, 9, 10, 10, 190]);
  });

  it.each([-1, 1.5, Number.NaN])('R3: refuses contact minutes %p', (minutes) => {
    expect(() => ceuFromContactMinutes(minutes)).toThrow(RangeError);
  });

  it('R3: formats and parses CEU amounts', () => {
    expect([0, 10, 100, 200, 5, 15].map((v) => formatCeu(ceuHundredths(v)))).toEqual([
      '0.0',
      '0.1',
      '1.0',
      '2.0',
      '0.05',
      '0.15',
    ]);
    expect(['0.1', '1.9', '0.15', '2', ' 0.5 '].map(parseCeu)).toEqual([10, 190, 15, 200, 50]);
  });

  it.each(['1.25', '-1', 'one', '', '1.', '12345', 1.25, 1e21, -2])('R3: refuses contact hours %p', (hours) => {
    expect(() => ceuFromContactHours(hours)).toThrow(RangeError);
  });

  it.each(['0.125', '-0.1', 'x', '1000'])('R3: refuses a CEU amount %p', (text) => {
    expect(() => parseCeu(text)).toThrow(RangeError);
  });

  it('R3: refuses non-integer or negative hundredths', () => {
    expect(() => ceuHundredths(0.1)).toThrow(RangeError);
    expect(() => ceuHundredths(-10)).toThrow(RangeError);
  });

  it('R2: the shortfall is what is left to earn, zero once met', () => {
    expect(ceuShortfall(ceuHundredths(190), ceuHundredths(150))).toBe(40);
    expect(ceuShortfall(ceuHundredths(190), ceuHundredths(250))).toBe(0);
  });

  it('R3 property: summing is exact, commutative and associative', () => {
    const values = fc.array(fc.integer({ min: 0, max: 500 }).map(ceuHundredths), { maxLength: 50 });
    fc.assert(
      fc.property(values, values, values, (a, b, c) => {
        const ab = sumCeu([...a, ...b]);
        return (
          ab === sumCeu([...b, ...a]) &&
          ab === sumCeu([sumCeu(a), sumCeu(b)]) &&
          sumCeu([sumCeu([...a, ...b]), sumCeu(c)]) === sumCeu([sumCeu(a), sumCeu([...b, ...c])]) &&
          Number.isSafeInteger(ab)
        );
      }),
    );
  });

  it('R3 property: n courses of h tenths of an hour make exactly n × h hundredths of a CEU', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 400 }), (n, tenths) => {
        const hours = `${Math.floor(tenths / 10)}.${tenths % 10}`;
        const total = sumCeu(Array.from({ length: n }, () => ceuFromContactHours(hours)));
        return total === n * tenths && total === ceuFromContactMinutes(n * tenths * 6);
      }),
    );
  });

  it('R3 property: contact hours in tenths print back through parseCeu/formatCeu unchanged', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 99_999 }), (tenths) => {
        const ceu = ceuFromContactHours(`${Math.floor(tenths / 10)}.${tenths % 10}`);
        return ceu === tenths && parseCeu(formatCeu(ceu)) === ceu;
      }),
    );
  });

  it('R3 property: minutes never credit more than they are worth, nor 6 minutes less', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), (minutes) => {
        const ceu = ceuFromContactMinutes(minutes);
        return ceu * 6 <= minutes && minutes < (ceu + 1) * 6;
      }),
    );
  });
});
