import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const Reason = z.string().trim().min(1, 'a decision gives its reason').max(1000);

/** R6: staff grant CEUs as a decimal with at most two places, e.g. "0.3" or "0.15". */
export class ApprovePetitionDto extends createZodDto(
  z.strictObject({
    ceuGranted: z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be a CEU amount such as "0.3" (at most two decimals)'),
    reason: Reason,
  }),
) {}

export class DenyPetitionDto extends createZodDto(z.strictObject({ reason: Reason })) {}

export class PetitionQueueQueryDto extends createZodDto(
  z.strictObject({
    state: z.enum(['submitted', 'fee-paid', 'under-review', 'approved', 'denied', 'withdrawn']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  }),
) {}
