import { hash, verify } from "@node-rs/argon2";

/** OWASP's argon2id parameters (19 MiB, 2 iterations, 1 lane). */
const OPTIONS = { memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

/** Minimum length for a password (NIST SP 800-63B asks for at least 8; we ask for 10). */
export const MIN_PASSWORD_LENGTH = 10;

/** argon2id PHC string of `password` (@node-rs/argon2's default algorithm is argon2id). */
export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** True when `password` matches the stored hash; false for a malformed hash. Never throws. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** A hash to verify against when the account does not exist, so timing does not reveal it. */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword("drillbook-no-such-account");
  return dummyHash;
}
