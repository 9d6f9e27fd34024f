import { isTransientInfrastructureError } from './transient-errors';

describe('isTransientInfrastructureError', () => {
  it.each([
    [{ code: 'ECONNREFUSED' }],
    [{ code: '57P01' }],
    [{ code: '40001' }],
    [{ code: '08006' }],
    [{ driverError: { code: 'ECONNRESET' } }],
    [new Error('Connection terminated unexpectedly')],
  ])('treats %p as our infrastructure failing, to be redelivered', (error) => {
    expect(isTransientInfrastructureError(error)).toBe(true);
  });

  it.each([[new Error('boom')], [{ code: '23505' }], [null], ['text'], [{ code: 42 }]])(
    'treats %p as a failure of the message',
    (error) => {
      expect(isTransientInfrastructureError(error)).toBe(false);
    },
  );
});
