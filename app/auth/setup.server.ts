import { createHash, timingSafeEqual } from "node:crypto";
import type { Database } from "../../db/client";
import type { AppLucia } from "./lucia.server";
import { AccountError, countUsers, createUser, type UserSummary } from "./users.server";

/** The part of the runtime first-admin setup reads and retires (`runtime.setupToken`). */
export interface SetupRuntime {
  db: Database;
  lucia: AppLucia;
  setupToken: string | null;
}

/**
 * True when `given` equals the one-time setup token. Compares sha256 digests with
 * `timingSafeEqual`, so neither the length nor the content leaks through timing.
 */
export function setupTokenMatches(expected: string | null, given: unknown): boolean {
  if (!expected || typeof given !== "string" || given.length === 0) return false;
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return timingSafeEqual(digest(expected), digest(given));
}

/**
 * What the setup page can do: `ready` (valid token, no accounts), `done` (accounts exist: sign in
 * instead) or `invalid` (no or wrong token: the link is on the server console).
 */
export async function setupState(runtime: SetupRuntime, token: unknown): Promise<"ready" | "done" | "invalid"> {
  if ((await countUsers(runtime.db)) > 0) return "done";
  return setupTokenMatches(runtime.setupToken, token) ? "ready" : "invalid";
}

export interface SetupInput {
  token: unknown;
  name: unknown;
  email: unknown;
  password: unknown;
  confirm: unknown;
}

/**
 * Named command `completeSetup`: creates the first `admin` (audited `user.create`, via `setup`),
 * retires the setup token (`runtime.setupToken = null`) and opens a session for them.
 * The token is claimed before the account is written, so two racing submissions cannot both win.
 * @returns the new admin and a session id for `sessionCookieHeader`; or the state that refused it.
 * @throws AccountError for bad input (the token stays valid so the form can be corrected).
 */
export async function completeSetup(
  runtime: SetupRuntime,
  input: SetupInput,
  ip: string | null,
): Promise<{ ok: true; user: UserSummary; sessionId: string } | { ok: false; state: "done" | "invalid" }> {
  const state = await setupState(runtime, input.token);
  if (state !== "ready") return { ok: false, state };
  if (typeof input.password === "string" && input.password !== input.confirm) {
    throw new AccountError("The two passwords differ; type the same password twice.", "password");
  }
  const token = runtime.setupToken;
  runtime.setupToken = null;
  try {
    const user = await createUser(
      runtime.db,
      { email: input.email, name: input.name, role: "admin", password: input.password ?? "" },
      { userId: null, label: typeof input.email === "string" ? input.email.trim().toLowerCase() : "setup", ip, via: "setup" },
    );
    const session = await runtime.lucia.createSession(user.id, {});
    return { ok: true, user, sessionId: session.id };
  } catch (error) {
    if (error instanceof AccountError) runtime.setupToken = token;
    throw error;
  }
}
