import { z } from 'zod';

/** A calendar date `YYYY-MM-DD` that exists (no 2026-02-30). Dates are calendar dates (DOMAIN.md). */
export const CalendarDateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a calendar date YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'must be a real calendar date');

/** Money: integer cents, never floats. */
export const Cents = z.number().int().nonnegative().max(100_000_000);

/** CEUs in integer hundredths: 0.1 CEU (one contact hour) = 10. */
export const CeuHundredths = z.number().int().nonnegative().max(10_000);

/** Identifiers issued by upstream systems: opaque, bounded, printable. */
export const ExternalId = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'must be letters, digits and . _ : - only');

export const TrainerId = ExternalId;
