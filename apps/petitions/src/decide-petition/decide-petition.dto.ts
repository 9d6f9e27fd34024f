import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';

const Reason = z.string().trim().min(1, 'a decision gives its reason').max(1000);

/**
 * R6: staff grant CEUs as a decimal with at most two places, e.g. "0.3" or "0.15"; R3: at most the
 * petition's contact hours × 0.1 (checked against the petition: a larger grant is refused with 400).
 */
export class ApprovePetitionDto extends createZodDto(
  z.strictObject({
    ceuGranted: z.string().regex(/^\d{1,2}(\.\d{1,2})?$/, 'must be a CEU amount such as "0.3" (at most two decimals)'),
    reason: Reason,
  }),
) {}

export class DenyPetitionDto extends createZodDto(z.strictObject({ reason: Reason })) {}

/**
 * Starting a review may say why (e.g. who it was assigned to); recorded with the act. The body is
 * optional (a bare POST starts the review), so it is parsed here rather than by the DTO pipe.
 */
export const ReviewPetitionBody = z.strictObject({ reason: z.string().trim().min(1).max(1000).optional() }).optional();
