import { CalendarDate } from './calendar-date';
import { checkCprAed, CprAedCard, cprAedReferenceDate, isWaiverInEffect, waiverPeriod } from './cpr-aed';
import { createPolicy } from './policy';

const d = CalendarDate.parse;
const noWaiver = createPolicy({ waiverStartsOn: null });
const waiverLifted = createPolicy({ waiverStartsOn: d('2020-03-13'), distancingOrdersLiftedOn: d('2023-05-11') });
const card = (overrides: Partial<CprAedCard> = {}): CprAedCard => ({
  cardId: 'card-1',
  issuedOn: d('2025-01-10'),
  expiresOn: d('2027-01-10'),
  includesAdultCpr: true,
  includesAed: true,
  handsOnSkillsAssessment: true,
  ...overrides,
});

describe('R7: a current Adult CPR and AED card, hands-on or under the waiver', () => {
  it('R7: a hands-on card current on the submission day is valid, without advisory', () => {
    expect(checkCprAed([card()], d('2026-06-01'), noWaiver)).toEqual({ valid: true, card: card(), advisory: null });
  });

  it('R7: a card expiring on the submission day is current; one that expired the day before is not', () => {
    expect(checkCprAed([card({ expiresOn: d('2026-06-01') })], d('2026-06-01'), noWaiver).valid).toBe(true);
    const check = checkCprAed([card({ expiresOn: d('2026-05-31') })], d('2026-06-01'), noWaiver);
    expect(check).toEqual({
      valid: false,
      reasons: ['R7: card card-1 expired 2026-05-31, before the application (2026-06-01)'],
    });
  });

  it('R7: "current" is judged on the submission day by default; a policy may judge on the decision day', () => {
    const dates = { submittedOn: d('2026-06-01'), decidedOn: d('2026-07-15') };
    expect(cprAedReferenceDate(noWaiver, dates)).toEqual(d('2026-06-01'));
    const onDecision = createPolicy({ waiverStartsOn: null, cprAedCurrentOn: 'decision' });
    expect(cprAedReferenceDate(onDecision, dates)).toEqual(d('2026-07-15'));
    expect(cprAedReferenceDate(onDecision, { submittedOn: d('2026-06-01') })).toEqual(d('2026-06-01'));
    const expiresBetween = [card({ expiresOn: d('2026-07-01') })];
    expect(checkCprAed(expiresBetween, cprAedReferenceDate(noWaiver, dates), noWaiver).valid).toBe(true);
    expect(checkCprAed(expiresBetween, cprAedReferenceDate(onDecision, dates), onDecision).valid).toBe(false);
  });

  it('R7: every problem of a card is named', () => {
    const bad = card({ includesAed: false, expiresOn: d('2026-01-01'), handsOnSkillsAssessment: false });
    expect(checkCprAed([bad], d('2026-06-01'), noWaiver)).toEqual({
      valid: false,
      reasons: [
        'R7: card card-1 does not include Adult CPR and AED, expired 2026-01-01, before the application (2026-06-01), is online-only, and the hands-on waiver is not in effect',
      ],
    });
  });

  it('R7: the course must include Adult CPR and AED', () => {
    expect(checkCprAed([card({ includesAed: false })], d('2026-06-01'), noWaiver)).toMatchObject({
      valid: false,
      reasons: ['R7: card card-1 does not include Adult CPR and AED'],
    });
    expect(checkCprAed([card({ includesAdultCpr: false })], d('2026-06-01'), noWaiver).valid).toBe(false);
  });

  it('R7: a card issued after the application does not count', () => {
    expect(checkCprAed([card({ issuedOn: d('2026-06-02') })], d('2026-06-01'), noWaiver).valid).toBe(false);
  });

  it('R7: no card on record', () => {
    expect(checkCprAed([], d('2026-06-01'), noWaiver)).toEqual({
      valid: false,
      reasons: ['R7: no CPR/AED card on record'],
    });
  });

  it('R7: an online-only card is refused outside the waiver', () => {
    const check = checkCprAed([card({ handsOnSkillsAssessment: false })], d('2026-06-01'), noWaiver);
    expect(check).toMatchObject({
      valid: false,
      reasons: [expect.stringMatching(/online-only, and the hands-on waiver is not in effect/)],
    });
  });

  it('R7: during the waiver an online-only card is accepted and flagged', () => {
    const openEnded = createPolicy();
    expect(checkCprAed([card({ handsOnSkillsAssessment: false })], d('2026-06-01'), openEnded)).toMatchObject({
      valid: true,
      advisory: 'obtain-hands-on-assessment',
    });
  });

  it('R7: the waiver ends 60 days after the orders were lifted: the 60th day is in, the 61st is not', () => {
    expect(waiverPeriod(waiverLifted)).toEqual({ startsOn: d('2020-03-13'), endsOn: d('2023-07-10') });
    expect(isWaiverInEffect(d('2023-07-10'), waiverLifted)).toBe(true);
    expect(isWaiverInEffect(d('2023-07-11'), waiverLifted)).toBe(false);
    expect(isWaiverInEffect(d('2020-03-12'), waiverLifted)).toBe(false);
    expect(isWaiverInEffect(d('2020-03-13'), waiverLifted)).toBe(true);
    const online = card({ handsOnSkillsAssessment: false, issuedOn: d('2023-01-01'), expiresOn: d('2025-01-01') });
    expect(checkCprAed([online], d('2023-07-10'), waiverLifted).valid).toBe(true);
    expect(checkCprAed([online], d('2023-07-11'), waiverLifted).valid).toBe(false);
  });

  it('R7: the waiver is open-ended while the lifting date is unset', () => {
    expect(waiverPeriod(createPolicy())).toEqual({ startsOn: d('2020-03-13'), endsOn: null });
    expect(isWaiverInEffect(d('2099-12-31'), createPolicy())).toBe(true);
  });

  it('R7: the 60 days are policy', () => {
    const shorter = createPolicy({ distancingOrdersLiftedOn: d('2023-05-11'), waiverGraceDays: 30 });
    expect(waiverPeriod(shorter)?.endsOn).toEqual(d('2023-06-10'));
  });

  it('R7: no waiver configured means no waiver', () => {
    expect(waiverPeriod(noWaiver)).toBeNull();
    expect(isWaiverInEffect(d('2021-01-01'), noWaiver)).toBe(false);
  });

  it('R7: of several valid cards the hands-on one is chosen, then the one expiring last', () => {
    const online = card({ cardId: 'online', handsOnSkillsAssessment: false, expiresOn: d('2028-01-01') });
    const handsOn = card({ cardId: 'hands-on' });
    const later = card({ cardId: 'later', expiresOn: d('2027-06-01') });
    const check = checkCprAed([online, handsOn, later], d('2026-06-01'), createPolicy());
    expect(check).toMatchObject({ valid: true, card: { cardId: 'later' }, advisory: null });
  });
});
