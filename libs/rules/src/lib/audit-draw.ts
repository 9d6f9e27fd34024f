import { createHash } from 'node:crypto';

/** Everything needed to re-run a draw and get the same answer, as stored with the application. */
export interface AuditDraw {
  readonly seed: string;
  readonly applicationId: string;
  /** SHA-256(seed ":" applicationId), first 48 bits, modulo 1 000 000: uniform in [0, 1 000 000). */
  readonly value: number;
  /** Selected when `value < threshold`; the threshold is the policy's rate in parts per million. */
  readonly threshold: number;
  /** The policy rate at the time of the draw, in parts per million (the same number as `threshold`). */
  readonly ratePpm: number;
  readonly selected: boolean;
}

const PPM = 1_000_000;

/**
 * R11: every application enters the draw. The draw is a pure function of recorded inputs (a seed
 * the audits service records, and the application id), so anyone can re-run it and check it;
 * there is no call to a random number generator at an unknown moment. 2^48 mod 10^6 leaves a
 * bias below 10^-8, far under any rate anyone would set.
 */
export function drawAudit(seed: string, applicationId: string, ratePpm: number): AuditDraw {
  if (!seed) throw new RangeError('R11: an audit draw needs a recorded seed');
  if (!applicationId) throw new RangeError('R11: an audit draw needs the application id');
  if (!Number.isSafeInteger(ratePpm) || ratePpm < 0 || ratePpm > PPM)
    throw new RangeError(`R11: rate must be 0..${PPM} ppm (got ${ratePpm})`);
  const digest = createHash('sha256').update(`${seed}:${applicationId}`).digest();
  const value = digest.readUIntBE(0, 6) % PPM;
  return { seed, applicationId, value, threshold: ratePpm, ratePpm, selected: value < ratePpm };
}

/** R11: re-runs a recorded draw; true when the record is exactly what its inputs give. */
export function verifyAuditDraw(draw: AuditDraw): boolean {
  if (draw.threshold !== draw.ratePpm) return false;
  const again = drawAudit(draw.seed, draw.applicationId, draw.ratePpm);
  return again.value === draw.value && again.selected === draw.selected;
}
