import * as argon2 from 'argon2';

/** How passwords are kept: only a slow, salted hash of each. */
export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

export const PASSWORD_HASHER = Symbol('PasswordHasher');

/**
 * Argon2id with OWASP's minimum parameters (19 MiB, 2 passes, 1 lane): memory-hard against GPU
 * guessing, yet about 30 ms a sign-in on these 2 cores. A hash records its parameters, so raising
 * them later still verifies the old ones.
 */
export class Argon2PasswordHasher implements PasswordHasher {
  hash(password: string): Promise<string> {
    return argon2.hash(password, { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 });
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }
}
