import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { drawAudit, verifyAuditDraw } from './audit-draw';
import { createPolicy } from './policy';

describe('R11: the reproducible audit draw', () => {
  it('R11: the same inputs give the same draw, and a recorded draw can be verified', () => {
    const a = drawAudit('2026-06-01/seed', 'app-1', 100_000);
    expect(drawAudit('2026-06-01/seed', 'app-1', 100_000)).toEqual(a);
    expect(a).toEqual({
      seed: '2026-06-01/seed',
      applicationId: 'app-1',
      value: a.value,
      threshold: 100_000,
      ratePpm: 100_000,
      selected: a.value < 100_000,
    });
    expect(verifyAuditDraw(a)).toBe(true);
  });

  it('R11: a tampered record does not verify', () => {
    const a = drawAudit('seed', 'app-1', 100_000);
    expect(verifyAuditDraw({ ...a, selected: !a.selected })).toBe(false);
    expect(verifyAuditDraw({ ...a, value: (a.value + 1) % 1_000_000 })).toBe(false);
    expect(verifyAuditDraw({ ...a, threshold: a.threshold + 1 })).toBe(false);
    expect(verifyAuditDraw({ ...a, applicationId: 'app-2' })).toBe(
      drawAudit('seed', 'app-2', 100_000).value === a.value,
    );
  });

  it('R11: the value is fixed by SHA-256 of seed and application id (a known vector)', () => {
    // The first 48 bits of sha256("seed:app-1"), modulo a million: anyone can recompute it.
    const expected = createHash('sha256').update('seed:app-1').digest().readUIntBE(0, 6) % 1_000_000;
    expect(drawAudit('seed', 'app-1', 0).value).toBe(expected);
  });

  it('R11: selected exactly when the value is below the threshold', () => {
    const { value } = drawAudit('seed', 'app-1', 0);
    expect(drawAudit('seed', 'app-1', value).selected).toBe(false);
    expect(drawAudit('seed', 'app-1', value + 1).selected).toBe(true);
  });

  it('R11: different seeds or applications give independent values', () => {
    const values = new Set(Array.from({ length: 1_000 }, (_, i) => drawAudit(`seed-${i}`, 'app', 0).value));
    expect(values.size).toBeGreaterThan(990);
  });

  it('R11: the observed rate over 100,000 draws is within 0.5 points of the 10 % policy', () => {
    const { auditRatePpm } = createPolicy();
    let selected = 0;
    for (let i = 0; i < 100_000; i++) if (drawAudit('seed-42', `application-${i}`, auditRatePpm).selected) selected++;
    expect(Math.abs(selected / 100_000 - 0.1)).toBeLessThan(0.005);
  });

  it('R11: the observed rate follows another policy rate too (25 %)', () => {
    let selected = 0;
    for (let i = 0; i < 20_000; i++) if (drawAudit('other-seed', `a${i}`, 250_000).selected) selected++;
    expect(Math.abs(selected / 20_000 - 0.25)).toBeLessThan(0.015);
  });

  it('R11 property: rate 0 selects nobody, 100 % everybody, and selection is monotonic in the rate', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.integer({ min: 0, max: 1_000_000 }), (id, rate) => {
        const draw = drawAudit('s', id, rate);
        return (
          !drawAudit('s', id, 0).selected &&
          drawAudit('s', id, 1_000_000).selected &&
          draw.value >= 0 &&
          draw.value < 1_000_000 &&
          draw.selected === draw.value < rate &&
          (!draw.selected || drawAudit('s', id, Math.min(1_000_000, rate + 1)).selected)
        );
      }),
    );
  });

  it('R11: a draw needs a seed, an application and a valid rate', () => {
    expect(() => drawAudit('', 'app', 100_000)).toThrow(/seed/);
    expect(() => drawAudit('s', '', 100_000)).toThrow(/application id/);
    expect(() => drawAudit('s', 'app', 1_000_001)).toThrow(/rate/);
    expect(() => drawAudit('s', 'app', -1)).toThrow(/rate/);
    expect(() => drawAudit('s', 'app', 0.5)).toThrow(/rate/);
  });
});
