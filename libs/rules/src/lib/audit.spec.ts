import fc from 'fast-check';
import { auditDeadline, evaluateAudit, requiredAuditDocuments, SubmittedDocument } from './audit';
import { drawAudit, verifyAuditDraw } from './audit-draw';
import { CalendarDate } from './calendar-date';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();

describe('R11: the random audit', () => {
  it('R11: the same inputs give the same draw, and a recorded draw can be verified', () => {
    const a = drawAudit('2026-06-01/seed', 'app-1', 100_000);
    expect(drawAudit('2026-06-01/seed', 'app-1', 100_000)).toEqual(a);
    expect(verifyAuditDraw(a)).toBe(true);
    expect(verifyAuditDraw({ ...a, selected: !a.selected })).toBe(false);
    expect(verifyAuditDraw({ ...a, value: (a.value + 1) % 1_000_000 })).toBe(false);
  });

  it('R11: the observed rate over 100,000 draws is within 0.5 points of the 10 % policy', () => {
    let selected = 0;
    for (let i = 0; i < 100_000; i++) if (drawAudit('seed-42', `application-${i}`, 100_000).selected) selected++;
    expect(Math.abs(selected / 100_000 - 0.1)).toBeLessThan(0.005);
  });

  it('R11: rate 0 selects nobody and rate 100 % everybody', () => {
    fc.assert(
      fc.property(fc.string(), (id) => !drawAudit('s', id, 0).selected && drawAudit('s', id, 1_000_000).selected),
    );
  });

  it('R11: a draw needs a seed and a valid rate', () => {
    expect(() => drawAudit('', 'app', 100_000)).toThrow(/seed/);
    expect(() => drawAudit('s', 'app', 1_000_001)).toThrow(/rate/);
    expect(() => drawAudit('s', 'app', 0.5)).toThrow(/rate/);
  });

  it('R11: documents required: a certificate per counted course, the card front and back', () => {
    expect(requiredAuditDocuments(['c1', 'p1'])).toEqual([
      { kind: 'course-certificate', proves: 'c1' },
      { kind: 'course-certificate', proves: 'p1' },
      { kind: 'cpr-aed-card-front' },
      { kind: 'cpr-aed-card-back' },
    ]);
  });

  it('R11: the deadline is selection + 30 days, plus extensions granted with a reason', () => {
    expect(auditDeadline(d('2026-06-01'), policy).toString()).toBe('2026-07-01');
    expect(auditDeadline(d('2026-06-01'), policy, [{ days: 14, reason: 'hospitalised' }]).toString()).toBe(
      '2026-07-15',
    );
    expect(() => auditDeadline(d('2026-06-01'), policy, [{ days: 14, reason: '' }])).toThrow(/reason/);
    expect(() => auditDeadline(d('2026-06-01'), policy, [{ days: 0, reason: 'x' }])).toThrow(/positive/);
  });

  describe('R11: the audit outcome', () => {
    const required = requiredAuditDocuments(['c1']);
    const deadline = d('2026-07-01');
    const doc = (kind: SubmittedDocument['kind'], on: string, proves?: string): SubmittedDocument => ({
      kind,
      proves,
      submittedOn: d(on),
    });
    const all = [
      doc('course-certificate', '2026-06-10', 'c1'),
      doc('cpr-aed-card-front', '2026-06-11'),
      doc('cpr-aed-card-back', '2026-07-01'),
    ];

    it('R11: passes when every document arrived by the deadline (inclusive)', () => {
      expect(evaluateAudit(required, all, deadline, d('2026-07-01'))).toEqual({
        status: 'passed',
        completedOn: d('2026-07-01'),
      });
    });

    it('R11: awaits documents before the deadline, naming the missing ones', () => {
      expect(evaluateAudit(required, all.slice(0, 2), deadline, d('2026-06-20'))).toEqual({
        status: 'awaiting-documents',
        missing: [{ kind: 'cpr-aed-card-back' }],
        deadline,
      });
    });

    it('R11: fails after the deadline with documents missing; late documents do not count', () => {
      const late = [...all.slice(0, 2), doc('cpr-aed-card-back', '2026-07-02')];
      expect(evaluateAudit(required, late, deadline, d('2026-07-02'))).toEqual({
        status: 'failed',
        missing: [{ kind: 'cpr-aed-card-back' }],
        deadline,
      });
    });

    it('R11: a certificate must prove the counted course', () => {
      const wrong = [doc('course-certificate', '2026-06-10', 'other'), ...all.slice(1)];
      expect(evaluateAudit(required, wrong, deadline, d('2026-07-02'))).toMatchObject({
        status: 'failed',
        missing: [{ kind: 'course-certificate', proves: 'c1' }],
      });
    });
  });
});
