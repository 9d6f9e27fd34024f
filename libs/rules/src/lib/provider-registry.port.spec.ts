import { CalendarDate } from './calendar-date';
import { ceuHundredths } from './ceu';
import { CourseApproval, InMemoryProviderRegistry, ProviderRegistry } from './provider-registry.port';

const d = CalendarDate.parse;
const approval = (
  ceu: number,
  from: string,
  until: string,
  overrides: Partial<CourseApproval> = {},
): CourseApproval => ({
  providerId: 'ACE',
  courseId: 'C-1',
  ceu: ceuHundredths(ceu),
  approvedFrom: d(from),
  approvedUntil: d(until),
  nasmOwn: false,
  ...overrides,
});

describe('R5: the approved-provider registry (a port)', () => {
  const registry: ProviderRegistry = new InMemoryProviderRegistry([
    approval(10, '2025-01-01', '2025-12-31'),
    approval(20, '2026-01-01', '2026-12-31'),
    approval(30, '2026-07-01', '2026-12-31'), // re-approved mid-year at a new value
    approval(190, '2020-01-01', '2030-12-31', { providerId: 'NASM', courseId: 'CES', nasmOwn: true }),
  ]);

  it('R5: an approval is in force from its first through its last day', () => {
    expect(registry.approvalOn('ACE', 'C-1', d('2025-01-01'))?.ceu).toBe(10);
    expect(registry.approvalOn('ACE', 'C-1', d('2025-12-31'))?.ceu).toBe(10);
    expect(registry.approvalOn('ACE', 'C-1', d('2024-12-31'))).toBeUndefined();
    expect(registry.approvalOn('ACE', 'C-1', d('2027-01-01'))).toBeUndefined();
  });

  it('R5: the offering approved for the completion date gives the CEU value; the latest approval wins an overlap', () => {
    expect(registry.approvalOn('ACE', 'C-1', d('2026-03-01'))?.ceu).toBe(20);
    expect(registry.approvalOn('ACE', 'C-1', d('2026-07-01'))?.ceu).toBe(30);
  });

  it('R5: the latest approval wins whatever order the registry lists them in', () => {
    const reversed = new InMemoryProviderRegistry([
      approval(30, '2026-07-01', '2026-12-31'),
      approval(20, '2026-01-01', '2026-12-31'),
    ]);
    expect(reversed.approvalOn('ACE', 'C-1', d('2026-08-01'))?.ceu).toBe(30);
    expect(reversed.approvalOn('ACE', 'C-1', d('2026-06-30'))?.ceu).toBe(20);
  });

  it('R5: a course is identified by provider and course; NASM courses are marked as its own', () => {
    expect(registry.approvalOn('OTHER', 'C-1', d('2025-06-01'))).toBeUndefined();
    expect(registry.approvalOn('NASM', 'CES', d('2025-06-01'))).toMatchObject({ nasmOwn: true, ceu: 190 });
  });

  it('R5: refuses an approval that ends before it starts', () => {
    expect(() => new InMemoryProviderRegistry([approval(10, '2025-12-31', '2025-01-01')])).toThrow(
      /R5: approval of ACE\/C-1 ends before it starts/,
    );
  });
});
