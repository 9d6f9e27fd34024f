import { requiredAuditDocuments } from './audit';
import {
  assessDocuments,
  AuditLifecycle,
  auditSelection,
  checkDocumentReview,
  checkFail,
  checkPass,
  deadlineEffect,
  extendedLastDay,
  openAuditState,
  ReviewedDocument,
} from './audit-review';
import { drawAudit } from './audit-draw';
import { CalendarDate } from './calendar-date';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const policy = createPolicy();
const lastDay = d('2026-07-01');
const required = requiredAuditDocuments(['c1']);
const doc = (
  documentId: string,
  kind: ReviewedDocument['kind'],
  on: string,
  review: ReviewedDocument['review'] = 'pending',
  extra: Partial<ReviewedDocument> = {},
): ReviewedDocument => ({ documentId, kind, submittedOn: d(on), review, ...extra });
const certificate = (id: string, review: ReviewedDocument['review'] = 'pending', on = '2026-06-10') =>
  doc(id, 'course-certificate', on, review, { proves: 'c1' });

describe('R11: the audit as the department works it (DOMAIN.md, clarified after review)', () => {
  describe('R11: where each required document stands', () => {
    it('R11: nothing uploaded: every required document is missing, the audit awaits documents', () => {
      const a = assessDocuments(required, [], lastDay);
      expect(a).toEqual({
        accepted: [],
        awaitingReview: [],
        rejected: [],
        missing: [
          { kind: 'course-certificate', proves: 'c1' },
          { kind: 'cpr-aed-card-front' },
          { kind: 'cpr-aed-card-back' },
        ],
      });
      expect(openAuditState(a)).toBe('awaiting-documents');
    });

    it('R11 (issue 12, item 2): the last required document puts the audit under review, awaiting a reviewer', () => {
      const a = assessDocuments(
        required,
        [
          certificate('D1'),
          doc('D2', 'cpr-aed-card-front', '2026-06-11'),
          doc('D3', 'cpr-aed-card-back', '2026-07-01'),
        ],
        lastDay,
      );
      expect(a.awaitingReview.map((x) => x.documentId)).toEqual(['D1', 'D2', 'D3']);
      expect(a.missing).toEqual([]);
      expect(openAuditState(a)).toBe('under-review');
    });

    it('R11: a rejected document proves nothing: the audit goes back to awaiting documents, naming the rejection', () => {
      const a = assessDocuments(
        required,
        [
          certificate('D1', 'accepted'),
          doc('D2', 'cpr-aed-card-front', '2026-06-11', 'rejected', { reason: 'illegible' }),
          doc('D3', 'cpr-aed-card-back', '2026-06-12', 'accepted'),
        ],
        lastDay,
      );
      expect(a.rejected).toEqual([{ documentId: 'D2', kind: 'cpr-aed-card-front', reason: 'illegible' }]);
      expect(a.accepted.map((x) => x.documentId)).toEqual(['D1', 'D3']);
      expect(openAuditState(a)).toBe('awaiting-documents');
    });

    it('R11: a replacement for a rejected document answers the requirement; the latest rejection is the one named', () => {
      const front = [
        doc('D2', 'cpr-aed-card-front', '2026-06-11', 'rejected', { reason: 'blurred' }),
        doc('D4', 'cpr-aed-card-front', '2026-06-12', 'rejected', { reason: 'expired card' }),
      ];
      expect(assessDocuments([{ kind: 'cpr-aed-card-front' }], front, lastDay).rejected).toEqual([
        { documentId: 'D4', kind: 'cpr-aed-card-front', reason: 'expired card' },
      ]);
      const replaced = assessDocuments(
        [{ kind: 'cpr-aed-card-front' }],
        [...front, doc('D5', 'cpr-aed-card-front', '2026-06-20')],
        lastDay,
      );
      expect(replaced).toMatchObject({ rejected: [], awaitingReview: [{ documentId: 'D5' }] });
      expect(openAuditState(replaced)).toBe('under-review');
    });

    it('R11: an accepted document answers its requirement even beside another awaiting review', () => {
      const a = assessDocuments(
        [{ kind: 'cpr-aed-card-back' }],
        [doc('D1', 'cpr-aed-card-back', '2026-06-10'), doc('D2', 'cpr-aed-card-back', '2026-06-11', 'accepted')],
        lastDay,
      );
      expect(a).toMatchObject({ accepted: [{ documentId: 'D2' }], awaitingReview: [] });
    });

    it('R11: a rejected certificate names the completion it was to prove; one with no reason on record says rejected', () => {
      expect(assessDocuments(required.slice(0, 1), [certificate('D1', 'rejected')], lastDay).rejected).toEqual([
        { documentId: 'D1', kind: 'course-certificate', proves: 'c1', reason: 'rejected' },
      ]);
    });

    it('R11: documents uploaded after the last day do not count', () => {
      const a = assessDocuments(required.slice(0, 1), [certificate('D1', 'accepted', '2026-07-02')], lastDay);
      expect(a.missing).toEqual([{ kind: 'course-certificate', proves: 'c1' }]);
    });

    it('R11: a certificate of another completion does not answer the counted one', () => {
      const other = doc('D1', 'course-certificate', '2026-06-10', 'pending', { proves: 'c9' });
      expect(assessDocuments(required.slice(0, 1), [other], lastDay).missing).toHaveLength(1);
    });
  });

  describe('R11: a reviewer accepts or rejects a document', () => {
    const pending = certificate('D1');

    it.each<[AuditLifecycle]>([['awaiting-documents'], ['under-review']])(
      'R11: allowed while the audit is %s',
      (status) => {
        expect(checkDocumentReview(status, pending, 'accept', undefined, lastDay)).toBeNull();
        expect(checkDocumentReview(status, pending, 'reject', 'illegible', lastDay)).toBeNull();
      },
    );

    it('R11: a rejection gives its reason (bad input, before anything else)', () => {
      for (const reason of [undefined, '', '   '])
        expect(checkDocumentReview('passed', pending, 'reject', reason, lastDay)).toEqual({
          refused: 'invalid',
          message: 'a rejection gives its reason',
        });
    });

    it.each<[AuditLifecycle, string]>([
      ['passed', 'the audit is passed: a completed audit is final'],
      ['failed', 'the audit is failed: a completed audit is final'],
      ['not-selected', 'the application was not selected for audit'],
    ])('R11: refused once the audit is %s', (status, message) => {
      expect(checkDocumentReview(status, pending, 'accept', undefined, lastDay)).toEqual({
        refused: 'conflict',
        message,
      });
    });

    it('R11: a rejected document stays rejected; an accepted one is not accepted twice but may still be rejected', () => {
      const rejected = certificate('D1', 'rejected');
      expect(
        checkDocumentReview('awaiting-documents', { ...rejected, reason: 'blurred' }, 'accept', undefined, lastDay),
      ).toEqual({
        refused: 'conflict',
        message: 'document D1 was rejected (blurred): the trainer uploads another',
      });
      expect(checkDocumentReview('awaiting-documents', rejected, 'reject', 'again', lastDay)).toEqual({
        refused: 'conflict',
        message: 'document D1 was rejected (no reason): the trainer uploads another',
      });
      const accepted = certificate('D1', 'accepted');
      expect(checkDocumentReview('under-review', accepted, 'accept', undefined, lastDay)).toEqual({
        refused: 'conflict',
        message: 'document D1 is already accepted',
      });
      expect(checkDocumentReview('under-review', accepted, 'reject', 'another course', lastDay)).toBeNull();
    });

    it('R11: a document uploaded after the last day is not reviewed: it does not count', () => {
      expect(
        checkDocumentReview(
          'awaiting-documents',
          certificate('D1', 'pending', '2026-07-02'),
          'accept',
          undefined,
          lastDay,
        ),
      ).toEqual({
        refused: 'conflict',
        message: 'document D1 was uploaded on 2026-07-02, after the last day (2026-07-01): it does not count',
      });
    });
  });

  describe('R11: a reviewer passes or fails the audit', () => {
    const accepted = [
      certificate('D1', 'accepted'),
      doc('D2', 'cpr-aed-card-front', '2026-06-11', 'accepted'),
      doc('D3', 'cpr-aed-card-back', '2026-06-12', 'accepted'),
    ];

    it('R11: passes only when every required document is in and accepted', () => {
      expect(checkPass('under-review', assessDocuments(required, accepted, lastDay))).toBeNull();
    });

    it('R11: otherwise refused naming each document not accepted: missing, rejected, awaiting review', () => {
      const a = assessDocuments(
        required,
        [certificate('D1'), doc('D2', 'cpr-aed-card-front', '2026-06-11', 'rejected', { reason: 'illegible' })],
        lastDay,
      );
      expect(checkPass('awaiting-documents', a)).toEqual({
        refused: 'conflict',
        message:
          'R11: not every required document is accepted: cpr-aed-card-back is missing; ' +
          'cpr-aed-card-front: D2 was rejected (illegible); course-certificate for c1: D1 awaits review',
      });
    });

    it('R11: a completed audit is not passed again', () => {
      expect(checkPass('failed', assessDocuments(required, accepted, lastDay))).toMatchObject({ refused: 'conflict' });
    });

    it('R11: a reviewer fails an open audit with a reason', () => {
      expect(checkFail('awaiting-documents', 'forged certificate')).toBeNull();
      expect(checkFail('under-review', 'forged certificate')).toBeNull();
      expect(checkFail('under-review', ' ')).toEqual({
        refused: 'invalid',
        message: 'failing an audit gives its reason',
      });
      expect(checkFail('passed', 'too late')).toEqual({
        refused: 'conflict',
        message: 'the audit is passed: a completed audit is final',
      });
    });
  });

  describe('R11 [policy]: one extension, by 1 to 30 days, with a reason', () => {
    it('R11: the new last day counts from the current one', () => {
      expect(extendedLastDay('awaiting-documents', lastDay, 0, 14, 'hospitalised', policy)).toEqual({
        lastDay: d('2026-07-15'),
      });
      expect(extendedLastDay('under-review', lastDay, 0, 30, 'provider late', policy)).toEqual({
        lastDay: d('2026-07-31'),
      });
      expect(extendedLastDay('awaiting-documents', lastDay, 0, 1, 'x', policy)).toEqual({ lastDay: d('2026-07-02') });
    });

    it.each([[0], [31], [-3], [1.5], [Number.NaN]])('R11: %s days is bad input', (days) => {
      expect(extendedLastDay('awaiting-documents', lastDay, 0, days, 'hospitalised', policy)).toEqual({
        refused: 'invalid',
        message: `an extension is 1 to 30 whole days (got ${String(days)})`,
      });
    });

    it('R11: an extension gives its reason', () => {
      expect(extendedLastDay('awaiting-documents', lastDay, 0, 5, '  ', policy)).toEqual({
        refused: 'invalid',
        message: 'an extension gives its reason',
      });
    });

    it('R11: a second extension is refused; so is one of a completed audit', () => {
      expect(extendedLastDay('awaiting-documents', lastDay, 1, 5, 'again', policy)).toEqual({
        refused: 'conflict',
        message: 'the deadline was already extended once; policy allows 1',
      });
      expect(extendedLastDay('passed', lastDay, 0, 5, 'why', policy)).toMatchObject({ refused: 'conflict' });
    });

    it('R11: the number and length of extensions are policy', () => {
      const generous = createPolicy({ auditExtensionsAllowed: 3, auditExtensionMaxDays: 60 });
      expect(extendedLastDay('awaiting-documents', lastDay, 2, 60, 'x', generous)).toEqual({
        lastDay: d('2026-08-30'),
      });
      expect(extendedLastDay('awaiting-documents', lastDay, 3, 5, 'x', generous)).toEqual({
        refused: 'conflict',
        message: 'the deadline was already extended 3 times; policy allows 3',
      });
      expect(
        extendedLastDay('awaiting-documents', lastDay, 0, 5, 'x', createPolicy({ auditExtensionsAllowed: 0 })),
      ).toEqual({
        refused: 'conflict',
        message: 'the deadline was already extended 0 times; policy allows 0',
      });
    });
  });

  describe('R11: the deadline, at the end of the last day', () => {
    const after = d('2026-07-02');

    it('R11: fails an audit for the documents still missing or rejected, naming each', () => {
      const a = assessDocuments(
        required,
        [doc('D2', 'cpr-aed-card-front', '2026-06-11', 'rejected', { reason: 'illegible' })],
        lastDay,
      );
      expect(deadlineEffect('awaiting-documents', a, lastDay, after)).toEqual({
        effect: 'fail',
        reason: 'documents missing or rejected at the end of 2026-07-01',
        findings: {
          missing: [{ kind: 'course-certificate', proves: 'c1' }, { kind: 'cpr-aed-card-back' }],
          rejected: [{ documentId: 'D2', kind: 'cpr-aed-card-front', reason: 'illegible' }],
        },
      });
    });

    it('R11: an audit under review when the deadline passes is not failed by it', () => {
      const inReview = assessDocuments(
        required,
        [
          certificate('D1'),
          doc('D2', 'cpr-aed-card-front', '2026-06-11'),
          doc('D3', 'cpr-aed-card-back', '2026-06-12'),
        ],
        lastDay,
      );
      expect(deadlineEffect('under-review', inReview, lastDay, after)).toEqual({
        effect: 'none',
        why: 'under review: every document was in by the last day',
      });
    });

    it('R11: documents uploaded after the last day do not save the audit', () => {
      const late = assessDocuments(required, [certificate('D1', 'pending', '2026-07-02')], lastDay);
      expect(deadlineEffect('awaiting-documents', late, lastDay, after)).toMatchObject({ effect: 'fail' });
    });

    it('R11: a deadline whose last day was extended, or of a completed audit, does nothing', () => {
      const none = assessDocuments(required, [], lastDay);
      expect(deadlineEffect('awaiting-documents', none, d('2026-07-15'), after)).toEqual({
        effect: 'none',
        why: 'stale: the last day is 2026-07-15',
      });
      expect(deadlineEffect('awaiting-documents', none, lastDay, lastDay)).toMatchObject({ effect: 'none' });
      expect(deadlineEffect('passed', none, lastDay, after)).toEqual({
        effect: 'none',
        why: 'stale: the audit is passed',
      });
    });
  });

  describe('R11 (issue 12, item 7): a failed audit of a cycle forces selection on reapplying', () => {
    // A rate of 0 never selects, one of 100 % always does, whatever the value drawn.
    const notDrawn = drawAudit('s', 'a', 0);
    const drawn = drawAudit('s', 'a', 1_000_000);

    it('R11: without a failed audit the draw decides', () => {
      expect(auditSelection(notDrawn, null)).toEqual({ selected: false, forced: false, forcedReason: null });
      expect(auditSelection(drawn, null)).toEqual({ selected: true, forced: false, forcedReason: null });
    });

    it('R11: after a failed audit of the cycle the application is selected whatever the draw, and says why', () => {
      const forced = {
        selected: true,
        forced: true,
        forcedReason: 'R11: the audit of application app-1 for this cycle failed',
      };
      expect(auditSelection(notDrawn, 'app-1')).toEqual(forced);
      expect(auditSelection(drawn, 'app-1')).toEqual(forced);
    });
  });
});
