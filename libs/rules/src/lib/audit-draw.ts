import { createHash } from 'node:crypto';

/** Everything needed to re-run a draw and get the same answer, as stored with the application. */
export interface AuditDraw {
  readonly seed: string;
  readonly applicationId: string;
  /** SHA-256(seed ":" applicationId), first 48 bits, modulo 1 000 000: uniform in [0, 1 000 000). */
  readonly value: number;
  /** The policy rate at the time of the draw, in parts per million. */
  readonly ratePpm: number;
  readonly selected: boolean;
}

const PPM = 1_000_000;

/**
 * R11: every application enters the draw. The draw is a pure function of recorded inputs (a seed
 * the audits service records, and the application id), so anyone can re-run it and check it; no
 * call to a random number generator at an unknown moment.
 */
export function drawAudit(seed: string, applicationId: string, ratePpm: number): AuditDraw {
  if (!seed) throw new RangeError('R11: an audit draw needs a recorded seed');
  if (!Number.isSafeInteger(ratePpm) || ratePpm < 0 || ratePpm > PPM)
    throw new RangeError(`R11: rate must be 0..${PPM} ppm`);
  const digest = createHash('sha256').update(`${seed}:${applicationId}`).digest();
  const value = digest.readUIntBE(0, 6) % PPM;
  return { seed, applicationId, value, ratePpm, selected: value < ratePpm };
}

/** Re-runs a recorded draw: true when the record is what the inputs give. */
export function verifyAuditDraw(draw: AuditDraw): boolean {
  const again = drawAudit(draw.seed, draw.applicationId, draw.ratePpm);
  return again.value === draw.value && again.selected === draw.selected;
}
