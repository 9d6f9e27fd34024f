import { auditQueue, daily, weekly } from './chart-aggregates';

describe("the ops dashboard's charts, put together from each service's answer", () => {
  it('counts open audits by days left, soonest first, with their ids; unavailable if either list is', () => {
    expect(
      auditQueue(
        {
          ok: true,
          data: [
            { applicationId: 'b', daysLeft: 12 },
            { applicationId: 'c', daysLeft: 3 },
            { applicationId: 'z', daysLeft: null },
          ],
        },
        { ok: true, data: [{ applicationId: 'a', daysLeft: 12 }] },
      ),
    ).toEqual({
      ok: true,
      data: [
        { daysLeft: 3, count: 1, applicationIds: ['c'] },
        { daysLeft: 12, count: 2, applicationIds: ['a', 'b'] },
      ],
    });
    expect(auditQueue({ ok: true, data: [] }, { ok: false, error: 'audits answered 503' })).toEqual({
      ok: false,
      error: 'audits answered 503',
    });
  });

  it('sums deadlines per week and kind over the services', () => {
    expect(
      weekly([
        { ok: true, data: [{ weekOf: '2026-11-23', kind: 'expiration', count: 2 }] },
        {
          ok: true,
          data: [
            { weekOf: '2026-11-23', kind: 'audit-reminder', count: 1 },
            { weekOf: '2026-11-16', kind: 'expiration', count: 4 },
          ],
        },
        { ok: true, data: [{ weekOf: '2026-11-23', kind: 'expiration', count: 3 }] },
      ]),
    ).toEqual({
      ok: true,
      data: [
        { weekOf: '2026-11-16', kind: 'expiration', count: 4 },
        { weekOf: '2026-11-23', kind: 'audit-reminder', count: 1 },
        { weekOf: '2026-11-23', kind: 'expiration', count: 5 },
      ],
    });
  });

  it('sums dead letters per day over the services, keeping every day', () => {
    expect(
      daily([
        {
          ok: true,
          data: [
            { day: '2026-11-19', count: 0 },
            { day: '2026-11-20', count: 2 },
          ],
        },
        {
          ok: true,
          data: [
            { day: '2026-11-19', count: 1 },
            { day: '2026-11-20', count: 0 },
          ],
        },
      ]),
    ).toEqual({
      ok: true,
      data: [
        { day: '2026-11-19', count: 1 },
        { day: '2026-11-20', count: 2 },
      ],
    });
    expect(daily([{ ok: false, error: 'payments did not answer: timeout' }])).toEqual({
      ok: false,
      error: 'payments did not answer: timeout',
    });
  });
});
