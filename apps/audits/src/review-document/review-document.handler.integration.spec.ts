import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { AuditsFixture, REVIEWER } from '../testing/audits-fixture';

/** R11: a reviewer accepts or rejects documents, on the real PostgreSQL. The clock: 2027-03-02T03:00Z. */
describe('ReviewDocumentHandler (real PostgreSQL)', () => {
  let f: AuditsFixture;

  beforeAll(async () => {
    f = await AuditsFixture.start('it_audit_review', '2027-03-02T03:00:00Z');
  });

  afterAll(async () => {
    await f?.stop();
  });

  const review = (applicationId: string, documentId: string, verdict: 'accept' | 'reject', reason?: string) =>
    f.unitOfWork.run((scope) => f.review.execute(scope, { applicationId, documentId, verdict, reason, by: REVIEWER }));

  it('R11 (issue 12, item 2): a reviewer rejects a document under review: back to awaiting documents, same last day', async () => {
    const { applicationId } = await f.submitted();
    const [, front] = await f.allDocuments(applicationId);
    expect(await f.audit(applicationId)).toMatchObject({ status: 'under-review' });

    expect(await review(applicationId, front, 'reject', 'illegible photo')).toEqual({
      applicationId,
      documentId: front,
      review: 'rejected',
      reason: 'illegible photo',
      status: 'awaiting-documents',
      documentationDueOn: '2027-04-01',
    });
    expect(await f.audit(applicationId)).toMatchObject({
      status: 'awaiting-documents',
      documentation_due_on: '2027-04-01',
    });
    const [document] = await f.db.dataSource.query(
      `SELECT review, review_reason, reviewed_by, reviewed_by_roles, reviewed_at FROM audit_documents WHERE document_id = $1`,
      [front],
    );
    expect(document).toEqual({
      review: 'rejected',
      review_reason: 'illegible photo',
      reviewed_by: 'alice',
      reviewed_by_roles: ['reviewer'],
      reviewed_at: new Date('2027-03-02T03:00:00Z'),
    });

    // A replacement puts it under review again.
    await f.uploaded(applicationId, 'cpr-aed-card-front');
    expect(await f.audit(applicationId)).toMatchObject({ status: 'under-review' });
  });

  it('R11: accepting keeps the state; a note is optional; every review is in the trail with who, when and why', async () => {
    const { applicationId } = await f.submitted();
    const [certificate, front] = await f.allDocuments(applicationId);
    expect(await review(applicationId, certificate, 'accept', 'legible')).toMatchObject({
      review: 'accepted',
      status: 'under-review',
    });
    expect(await review(applicationId, front, 'accept')).toMatchObject({ review: 'accepted', reason: null });
    expect(await f.actions(applicationId)).toEqual([
      {
        action: 'accept-document',
        document_id: certificate,
        actor_name: 'alice',
        actor_roles: ['reviewer'],
        acted_at: new Date('2027-03-02T03:00:00Z'),
        reason: 'legible',
      },
      {
        action: 'accept-document',
        document_id: front,
        actor_name: 'alice',
        actor_roles: ['reviewer'],
        acted_at: new Date('2027-03-02T03:00:00Z'),
        reason: null,
      },
    ]);
  });

  it('R11: a reviewer may reject while documents are still awaited', async () => {
    const { applicationId } = await f.submitted();
    const front = await f.uploaded(applicationId, 'cpr-aed-card-front');
    expect(await review(applicationId, front, 'reject', 'expired card')).toMatchObject({
      status: 'awaiting-documents',
    });
  });

  it('R11: unknown audits and documents are 404; no reason 400; a rejected document or a completed audit 409', async () => {
    const { applicationId } = await f.submitted();
    const [, front, back] = await f.allDocuments(applicationId);
    await expect(review('00000000-0000-4000-8000-000000000000', front, 'accept')).rejects.toThrow(NotFoundException);
    await expect(review(applicationId, 'DOC-NONE', 'accept')).rejects.toThrow(NotFoundException);
    await expect(review(applicationId, front, 'reject', '  ')).rejects.toThrow(BadRequestException);
    await review(applicationId, front, 'reject', 'blurred');
    await expect(review(applicationId, front, 'accept')).rejects.toThrow(
      new ConflictException(`document ${front} was rejected (blurred): the trainer uploads another`),
    );
    await f.db.dataSource.query(`UPDATE audits SET status = 'passed' WHERE application_id = $1`, [applicationId]);
    await expect(review(applicationId, back, 'reject', 'second thoughts')).rejects.toThrow(
      new ConflictException('the audit is passed: a completed audit is final'),
    );
    expect((await f.actions(applicationId)).map((a) => a['document_id'])).toEqual([front]);
  });

  it('R11: a rejection after the last day of an audit under review has the deadline check again the next day', async () => {
    const { applicationId } = await f.submitted();
    const [, front] = await f.allDocuments(applicationId);
    f.at('2027-04-05T10:00:00Z');
    try {
      expect(await review(applicationId, front, 'reject', 'forged')).toMatchObject({ status: 'awaiting-documents' });
      expect(await f.scheduledDeadlines(applicationId)).toContain('audit-documentation@2027-04-06T00:00:00.000Z');
    } finally {
      f.at('2027-03-02T03:00:00Z');
    }
  });
});
