import { auditDeadline, documentName, evaluateAudit, requiredAuditDocuments, SubmittedDocument } from './audit';
import { CalendarDate } from './calendar-date';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();

describe('R11: audit documentation and its deadline', () => {
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

  it('R11: extensions add up; the 30 days are policy', () => {
    const twice = [
      { days: 7, reason: 'travel' },
      { days: 3, reason: 'provider late' },
    ];
    expect(auditDeadline(d('2026-06-01'), policy, twice).toString()).toBe('2026-07-11');
    expect(auditDeadline(d('2026-06-01'), createPolicy({ auditDocumentationDays: 45 })).toString()).toBe('2026-07-16');
  });

  it('R11: a deadline across 29 February counts the leap day', () => {
    expect(auditDeadline(d('2028-02-01'), policy).toString()).toBe('2028-03-02');
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

    it('R11 (issue 12, item 2): every document in by the last day (inclusive) puts the audit under review, not passed', () => {
      expect(evaluateAudit(required, all, deadline, d('2026-07-01'))).toEqual({ status: 'under-review' });
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

    it('R11: on the deadline day itself documents are still awaited, not failed', () => {
      expect(evaluateAudit(required, [], deadline, deadline)).toMatchObject({ status: 'awaiting-documents' });
      expect(evaluateAudit(required, [], deadline, deadline.addDays(1))).toMatchObject({ status: 'failed' });
    });

    it('R11: a failed audit names every missing document', () => {
      expect(evaluateAudit(required, [], deadline, d('2026-07-02'))).toEqual({
        status: 'failed',
        missing: [
          { kind: 'course-certificate', proves: 'c1' },
          { kind: 'cpr-aed-card-front' },
          { kind: 'cpr-aed-card-back' },
        ],
        deadline,
      });
    });

    it('R11: with nothing required the audit is under review at once', () => {
      expect(evaluateAudit([], [], deadline, d('2026-06-02'))).toEqual({ status: 'under-review' });
    });

    it('R11: a document is named by its kind, and a certificate by the completion it proves', () => {
      expect(documentName({ kind: 'course-certificate', proves: 'c1' })).toBe('course-certificate for c1');
      expect(documentName({ kind: 'cpr-aed-card-back' })).toBe('cpr-aed-card-back');
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
