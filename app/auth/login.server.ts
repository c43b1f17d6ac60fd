import { eq } from "drizzle-orm";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { Database } from "../../db/client";
import { users, type Role } from "../../db/schema/auth";
import { recordAudit } from "../audit/audit.server";
import type { AppLucia } from "./lucia.server";
import { dummyPasswordHash, verifyPassword } from "./password.server";
import type { Viewer } from "./session.server";

/** The one message for a wrong password and for an unknown account, so neither reveals the other. */
export const WRONG_CREDENTIALS = "E-mail or password is wrong";

/**
 * Failed sign-ins allowed per window before 429, keyed by the e-mail tried (whether or not the
 * account exists) and by client address. OWASP Authentication Cheat Sheet, "Login Throttling".
 */
export interface LoginLimits {
  /** Failures per e-mail address tried, per window. */
  perAccount: number;
  /** Failures per client address, per window. */
  perIp: number;
  /** Window length in seconds. */
  windowSeconds: number;
}
export const DEFAULT_LOGIN_LIMITS: LoginLimits = { perAccount: 5, perIp: 20, windowSeconds: 15 * 60 };

/** Progressive delay on a failure: 250 ms × failures so far in the window, capped at 3 s. */
export const FAILURE_DELAY_STEP_MS = 250;
export const FAILURE_DELAY_MAX_MS = 3_000;

/** Milliseconds to wait before answering the `failures`-th failure (1-based). */
export function failureDelayMs(failures: number): number {
  return Math.min(FAILURE_DELAY_STEP_MS * Math.max(0, failures), FAILURE_DELAY_MAX_MS);
}

/**
 * Counts failed sign-ins in process memory (rate-limiter-flexible's RateLimiterMemory, fixed
 * window from the first failure). One server process holds the counters; a restart clears them.
 */
export class LoginRateLimiter {
  readonly limits: LoginLimits;
  private readonly byAccount: RateLimiterMemory;
  private readonly byIp: RateLimiterMemory;

  constructor(limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {
    this.limits = limits;
    this.byAccount = new RateLimiterMemory({ keyPrefix: "login_fail_account", points: limits.perAccount, duration: limits.windowSeconds });
    this.byIp = new RateLimiterMemory({ keyPrefix: "login_fail_ip", points: limits.perIp, duration: limits.windowSeconds });
  }

  /** Milliseconds until the next attempt is allowed when the account or the address is locked; null when allowed. */
  async blockedForMs(email: string, ip: string): Promise<number | null> {
    const [account, address] = await Promise.all([this.byAccount.get(email), this.byIp.get(ip)]);
    let wait: number | null = null;
    if (account && account.consumedPoints >= this.limits.perAccount) wait = account.msBeforeNext;
    if (address && address.consumedPoints >= this.limits.perIp) wait = Math.max(wait ?? 0, address.msBeforeNext);
    return wait;
  }

  /** Records a failure for both keys; returns the failures so far in the window (the larger count). */
  async recordFailure(email: string, ip: string): Promise<number> {
    const [account, address] = await Promise.all([consumed(this.byAccount, email), consumed(this.byIp, ip)]);
    return Math.max(account, address);
  }

  /** A successful sign-in clears the account's failures (the address's stay until the window ends). */
  async recordSuccess(email: string): Promise<void> {
    await this.byAccount.delete(email);
  }
}

async function consumed(limiter: RateLimiterMemory, key: string): Promise<number> {
  try {
    return (await limiter.consume(key)).consumedPoints;
  } catch (rejection) {
    // Over the limit: rate-limiter-flexible rejects with the RateLimiterRes.
    if (rejection instanceof RateLimiterRes) return rejection.consumedPoints;
    throw rejection;
  }
}

/** The limiter the server uses (one per process). */
export const loginRateLimiter = new LoginRateLimiter();

export interface SignInDeps {
  db: Database;
  lucia: AppLucia;
  /** Default: `loginRateLimiter`. */
  limiter?: LoginRateLimiter;
  /** Default: a real timer. Tests pass a recorder so twenty failures do not take a minute. */
  sleep?: (ms: number) => Promise<void>;
}

export interface SignInInput {
  email: unknown;
  password: unknown;
  /** Client address; null when unknown (counted under one shared key). */
  ip: string | null;
}

export type SignInResult =
  | { ok: true; sessionId: string; user: { id: string; email: string; name: string; role: Role } }
  | {
      ok: false;
      /** 400 missing field, 401 wrong e-mail or password, 403 disabled account, 429 too many failures. */
      status: 400 | 401 | 403 | 429;
      message: string;
      fieldErrors?: { email?: string; password?: string };
      /** Seconds, for the Retry-After header (429 only). */
      retryAfterSeconds?: number;
      /** The e-mail as typed (trimmed), to refill the form. */
      email: string;
    };

const MAX_EMAIL_LENGTH = 254;
const MAX_PASSWORD_LENGTH = 1024;
const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Named command `signIn`: checks an e-mail and password and, when they match an enabled account,
 * creates a lucia session (the caller sets the cookie with `sessionCookieHeader`).
 * - Unknown accounts cost an argon2 verify against a dummy hash and get the same 401 message as a
 *   wrong password, so neither the answer nor its timing reveals which accounts exist.
 * - Failures are rate-limited per e-mail tried and per address (429 with `retryAfterSeconds`;
 *   see `DEFAULT_LOGIN_LIMITS`) and answered after a progressive delay (`failureDelayMs`).
 * - Audits `auth.login.success` and `auth.login.failure` (actor: the e-mail tried; details: the
 *   reason; never the password) with the client address.
 * @returns a result; throws only on database errors.
 */
export async function signIn(deps: SignInDeps, input: SignInInput): Promise<SignInResult> {
  const limiter = deps.limiter ?? loginRateLimiter;
  const sleep = deps.sleep ?? sleepFor;
  const typed = typeof input.email === "string" ? input.email.trim() : "";
  const password = typeof input.password === "string" ? input.password : "";
  const fieldErrors: { email?: string; password?: string } = {};
  if (!typed) fieldErrors.email = "Enter your e-mail address";
  if (!password) fieldErrors.password = "Enter your password";
  if (fieldErrors.email || fieldErrors.password) {
    return { ok: false, status: 400, message: "Fill in both fields to sign in.", fieldErrors, email: typed };
  }

  const email = typed.toLowerCase().slice(0, MAX_EMAIL_LENGTH);
  const ipKey = input.ip ?? "unknown";
  const audit = (action: string, reason: string | null, userId: string | null) =>
    recordAudit(deps.db, {
      actorUserId: userId,
      actor: email,
      action,
      targetType: "user",
      target: email,
      details: reason ? { reason } : {},
      ip: input.ip,
    });

  const blockedMs = await limiter.blockedForMs(email, ipKey);
  if (blockedMs !== null) {
    await audit("auth.login.failure", "rate_limited", null);
    const retryAfterSeconds = Math.max(1, Math.ceil(blockedMs / 1000));
    return {
      ok: false,
      status: 429,
      message: `Too many failed sign-in attempts. Wait ${describeWait(retryAfterSeconds)} and try again, or ask an admin to reset your password.`,
      retryAfterSeconds,
      email: typed,
    };
  }

  const [user] = await deps.db.select().from(users).where(eq(users.email, email)).limit(1);
  const tooLong = typed.length > MAX_EMAIL_LENGTH || password.length > MAX_PASSWORD_LENGTH;
  const hash = user?.passwordHash && !tooLong ? user.passwordHash : await dummyPasswordHash();
  const matches = (await verifyPassword(hash, tooLong ? "" : password)) && !!user?.passwordHash && !tooLong;

  if (!user || !matches) {
    const failures = await limiter.recordFailure(email, ipKey);
    await audit("auth.login.failure", user ? "wrong_password" : "no_account", null);
    await sleep(failureDelayMs(failures));
    return { ok: false, status: 401, message: WRONG_CREDENTIALS, email: typed };
  }
  if (user.disabledAt) {
    // Said only to someone who knows the password: it tells them what to do.
    await audit("auth.login.failure", "disabled", user.id);
    return { ok: false, status: 403, message: "This account is disabled. Ask an admin to enable it.", email: typed };
  }

  await limiter.recordSuccess(email);
  const session = await deps.lucia.createSession(user.id, {});
  await recordAudit(deps.db, {
    actorUserId: user.id,
    actor: user.email,
    action: "auth.login.success",
    targetType: "session",
    target: user.email,
    ip: input.ip,
  });
  return { ok: true, sessionId: session.id, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

function describeWait(seconds: number): string {
  if (seconds < 60) return `${seconds} seconds`;
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? "a minute" : `${minutes} minutes`;
}

/**
 * Ends the viewer's current browser session and audits `auth.logout`. A token holder or an
 * anonymous request has no session: nothing happens and false is returned.
 */
export async function signOut(deps: Pick<SignInDeps, "db" | "lucia">, viewer: Viewer | null, ip: string | null): Promise<boolean> {
  if (!viewer?.sessionId) return false;
  await deps.lucia.invalidateSession(viewer.sessionId);
  await recordAudit(deps.db, { actorUserId: viewer.id, actor: viewer.email, action: "auth.logout", targetType: "session", target: viewer.email, ip });
  return true;
}

/**
 * Ends every session of the viewer (all browsers and devices; API tokens stay valid) and audits
 * `auth.logout.everywhere` with the number of sessions ended. Returns that number.
 */
export async function signOutEverywhere(deps: Pick<SignInDeps, "db" | "lucia">, viewer: Viewer, ip: string | null): Promise<number> {
  const sessions = await deps.lucia.getUserSessions(viewer.id);
  await deps.lucia.invalidateUserSessions(viewer.id);
  await recordAudit(deps.db, {
    actorUserId: viewer.id,
    actor: viewer.email,
    action: "auth.logout.everywhere",
    targetType: "session",
    target: viewer.email,
    details: { sessionsEnded: sessions.length },
    ip,
  });
  return sessions.length;
}

/**
 * The `redirectTo` parameter when it is a path on this site ("/docs/x?y"), else "/". Refuses
 * absolute URLs, protocol-relative "//host" and "/\host" (which browsers treat as "//host").
 */
export function safeRedirectPath(value: unknown, fallback = "/"): string {
  if (typeof value !== "string" || !value.startsWith("/") || value.startsWith("//") || value.startsWith("/\\")) return fallback;
  if (/[\u0000-\u001f\\]/.test(value)) return fallback;
  try {
    const url = new URL(value, "http://drillbook.invalid");
    if (url.origin !== "http://drillbook.invalid") return fallback;
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return fallback;
  }
}
