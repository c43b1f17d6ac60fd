import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, users } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { createLucia, type AppLucia } from "./lucia.server";
import {
  DEFAULT_LOGIN_LIMITS,
  failureDelayMs,
  LoginRateLimiter,
  safeRedirectPath,
  signIn,
  signOut,
  signOutEverywhere,
  WRONG_CREDENTIALS,
  type SignInDeps,
} from "./login.server";
import type { Viewer } from "./session.server";
import { CLI_ACTOR, createUser } from "./users.server";

const PASSWORD = "correct horse battery";
const PASSWORDS_USED = [PASSWORD, "wrong password 1", "Tr0ub4dor&3-wrong", "disabled-user-pw"];

let handle: DatabaseHandle;
let lucia: AppLucia;
let anaId: string;

beforeAll(async () => {
  handle = await createTestDatabase();
  lucia = createLucia(handle.db);
  anaId = (await createUser(handle.db, { email: "Ana.Kowalska@lhb.example", name: "Ana Kowalska", role: "editor", password: PASSWORD }, CLI_ACTOR)).id;
  await createUser(handle.db, { email: "off@lhb.example", role: "viewer", password: "disabled-user-pw" }, CLI_ACTOR);
  await handle.db.update(users).set({ disabledAt: new Date() }).where(eq(users.email, "off@lhb.example"));
});
afterAll(() => handle.close());

/** A fresh limiter per test and a recorder instead of real sleeping (the delays are asserted, not waited for). */
function deps(): SignInDeps & { slept: number[] } {
  const slept: number[] = [];
  return { db: handle.db, lucia, limiter: new LoginRateLimiter(), sleep: async (ms) => void slept.push(ms), slept };
}

async function auditFor(action: string, actor: string) {
  const rows = await handle.db.select().from(auditLog).where(eq(auditLog.action, action));
  return rows.filter((r) => r.actor === actor);
}

describe("signIn", () => {
  it("signs in with the right password (e-mail case and spaces ignored), creating a lucia session", async () => {
    const result = await signIn(deps(), { email: "  ana.kowalska@LHB.example ", password: PASSWORD, ip: "10.0.0.1" });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user).toMatchObject({ id: anaId, email: "ana.kowalska@lhb.example", role: "editor" });
    const { session, user } = await lucia.validateSession(result.sessionId);
    expect(session?.userId).toBe(anaId);
    expect(user?.email).toBe("ana.kowalska@lhb.example");
  });

  it("answers a wrong password and an unknown account with the same status and message", async () => {
    const d = deps();
    const wrong = await signIn(d, { email: "ana.kowalska@lhb.example", password: "wrong password 1", ip: "10.0.0.2" });
    const unknown = await signIn(d, { email: "nobody@lhb.example", password: "wrong password 1", ip: "10.0.0.3" });
    expect(wrong).toEqual({ ok: false, status: 401, message: WRONG_CREDENTIALS, email: "ana.kowalska@lhb.example" });
    expect(unknown).toEqual({ ok: false, status: 401, message: WRONG_CREDENTIALS, email: "nobody@lhb.example" });
  });

  it("spends an argon2 verify on an unknown account too, so timing does not reveal it", async () => {
    const time = async (email: string) => {
      const d = deps();
      const started = performance.now();
      await signIn(d, { email, password: "wrong password 1", ip: "10.0.0.4" });
      return performance.now() - started;
    };
    await time("warm-up@lhb.example"); // computes the dummy hash once
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await time("ana.kowalska@lhb.example"));
      unknown.push(await time(`ghost${i}@lhb.example`));
    }
    // Without the dummy verify the unknown path is a single indexed select (~1 ms) against ~30+ ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.4);
  });

  it("asks for both fields before counting anything", async () => {
    const d = deps();
    const result = await signIn(d, { email: "", password: null, ip: "10.0.0.5" });
    expect(result).toMatchObject({
      ok: false,
      status: 400,
      fieldErrors: { email: "Enter your e-mail address", password: "Enter your password" },
    });
    expect(d.slept).toEqual([]);
  });

  it("locks an account after 5 failures in 15 minutes (429 with Retry-After), even for the right password, and slows each failure down", async () => {
    const d = deps();
    for (let i = 1; i <= DEFAULT_LOGIN_LIMITS.perAccount; i++) {
      const result = await signIn(d, { email: "ana.kowalska@lhb.example", password: "wrong password 1", ip: `10.1.0.${i}` });
      expect(result).toMatchObject({ ok: false, status: 401 });
    }
    expect(d.slept).toEqual([250, 500, 750, 1000, 1250]);
    const locked = await signIn(d, { email: "ana.kowalska@lhb.example", password: PASSWORD, ip: "10.1.0.99" });
    expect(locked).toMatchObject({ ok: false, status: 429 });
    if (locked.ok) return;
    expect(locked.message).toMatch(/Too many failed sign-in attempts\. Wait (15 minutes|\d+ minutes)/);
    expect(locked.retryAfterSeconds).toBeGreaterThan(800);
    expect(locked.retryAfterSeconds).toBeLessThanOrEqual(900);
    // Another account from the same addresses is not affected.
    expect((await signIn(d, { email: "nobody@lhb.example", password: "x", ip: "10.1.0.1" })).ok).toBe(false);
    expect(await signIn(d, { email: "nobody@lhb.example", password: "x", ip: "10.1.0.1" })).toMatchObject({ status: 401 });
  });

  it("locks an address after 20 failures across accounts, and caps the delay at 3 s", async () => {
    const d = deps();
    for (let i = 1; i <= DEFAULT_LOGIN_LIMITS.perIp; i++) {
      const result = await signIn(d, { email: `spray${i}@lhb.example`, password: "wrong password 1", ip: "192.0.2.7" });
      expect(result).toMatchObject({ ok: false, status: 401 });
    }
    expect(d.slept.at(-1)).toBe(3000);
    expect(Math.max(...d.slept)).toBe(3000);
    expect(await signIn(d, { email: "ana.kowalska@lhb.example", password: PASSWORD, ip: "192.0.2.7" })).toMatchObject({ ok: false, status: 429 });
    // The same account from another address still signs in.
    expect((await signIn(d, { email: "ana.kowalska@lhb.example", password: PASSWORD, ip: "192.0.2.8" })).ok).toBe(true);
  });

  it("a success clears the account's failures", async () => {
    const d = deps();
    for (let i = 0; i < 4; i++) await signIn(d, { email: "ana.kowalska@lhb.example", password: "wrong password 1", ip: "10.2.0.1" });
    expect((await signIn(d, { email: "ana.kowalska@lhb.example", password: PASSWORD, ip: "10.2.0.1" })).ok).toBe(true);
    for (let i = 0; i < 4; i++) await signIn(d, { email: "ana.kowalska@lhb.example", password: "wrong password 1", ip: "10.2.0.2" });
    expect((await signIn(d, { email: "ana.kowalska@lhb.example", password: PASSWORD, ip: "10.2.0.2" })).ok).toBe(true);
  });

  it("refuses a disabled account, even with the right password, and opens no session", async () => {
    const [user] = await handle.db.select().from(users).where(eq(users.email, "off@lhb.example"));
    const result = await signIn(deps(), { email: "off@lhb.example", password: "disabled-user-pw", ip: "10.3.0.1" });
    expect(result).toMatchObject({ ok: false, status: 403 });
    expect(await lucia.getUserSessions(user!.id)).toEqual([]);
    const wrong = await signIn(deps(), { email: "off@lhb.example", password: "wrong password 1", ip: "10.3.0.1" });
    expect(wrong).toMatchObject({ ok: false, status: 401, message: WRONG_CREDENTIALS });
  });

  it("audits failures with the e-mail tried, the reason and the address, and successes with the user", async () => {
    await signIn(deps(), { email: "Audit.Probe@lhb.example", password: "Tr0ub4dor&3-wrong", ip: "203.0.113.9" });
    const [failure] = await auditFor("auth.login.failure", "audit.probe@lhb.example");
    expect(failure).toMatchObject({ ip: "203.0.113.9", actorUserId: null, target: "audit.probe@lhb.example", details: { reason: "no_account" } });

    await signIn(deps(), { email: "ana.kowalska@lhb.example", password: "Tr0ub4dor&3-wrong", ip: "203.0.113.10" });
    const wrong = (await auditFor("auth.login.failure", "ana.kowalska@lhb.example")).find((r) => r.ip === "203.0.113.10");
    expect(wrong?.details).toEqual({ reason: "wrong_password" });

    await signIn(deps(), { email: "ana.kowalska@lhb.example", password: PASSWORD, ip: "203.0.113.11" });
    const success = (await auditFor("auth.login.success", "ana.kowalska@lhb.example")).find((r) => r.ip === "203.0.113.11");
    expect(success).toMatchObject({ actorUserId: anaId, targetType: "session" });

    const disabled = await auditFor("auth.login.failure", "off@lhb.example");
    expect(disabled.map((r) => (r.details as { reason: string }).reason)).toContain("disabled");
    const limited = await auditFor("auth.login.failure", "ana.kowalska@lhb.example");
    expect(limited.map((r) => (r.details as { reason: string }).reason)).toContain("rate_limited");
  });

  it("never writes a password into the audit log", async () => {
    const rows = await handle.db.select().from(auditLog);
    expect(rows.length).toBeGreaterThan(20);
    const text = JSON.stringify(rows);
    for (const password of PASSWORDS_USED) expect(text).not.toContain(password);
  });
});

describe("signOut and signOutEverywhere", () => {
  const viewerFor = (sessionId: string): Viewer => ({
    id: anaId,
    email: "ana.kowalska@lhb.example",
    name: "Ana Kowalska",
    role: "editor",
    via: "session",
    scope: "session",
    sessionId,
  });

  it("signOut ends this session only, audited", async () => {
    const a = await lucia.createSession(anaId, {});
    const b = await lucia.createSession(anaId, {});
    expect(await signOut({ db: handle.db, lucia }, viewerFor(a.id), "10.9.0.1")).toBe(true);
    expect((await lucia.validateSession(a.id)).session).toBeNull();
    expect((await lucia.validateSession(b.id)).session).not.toBeNull();
    expect((await auditFor("auth.logout", "ana.kowalska@lhb.example")).some((r) => r.ip === "10.9.0.1")).toBe(true);
    expect(await signOut({ db: handle.db, lucia }, null, null)).toBe(false);
  });

  it("signOutEverywhere ends every session of the person, audited with the count", async () => {
    await lucia.createSession(anaId, {});
    const current = await lucia.createSession(anaId, {});
    const before = (await lucia.getUserSessions(anaId)).length;
    expect(before).toBeGreaterThanOrEqual(2);
    expect(await signOutEverywhere({ db: handle.db, lucia }, viewerFor(current.id), "10.9.0.2")).toBe(before);
    expect(await lucia.getUserSessions(anaId)).toEqual([]);
    const [entry] = await auditFor("auth.logout.everywhere", "ana.kowalska@lhb.example");
    expect(entry?.details).toEqual({ sessionsEnded: before });
  });
});

describe("failureDelayMs and safeRedirectPath", () => {
  it("delay grows by 250 ms per failure up to 3 s", () => {
    expect([0, 1, 2, 12, 13, 50].map(failureDelayMs)).toEqual([0, 250, 500, 3000, 3000, 3000]);
  });

  it("keeps local paths and refuses other sites", () => {
    expect(safeRedirectPath("/docs/core-ledger?x=1#step-2")).toBe("/docs/core-ledger?x=1#step-2");
    for (const bad of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "docs", "", null, "/\t/evil.example"]) {
      expect(safeRedirectPath(bad)).toBe("/");
    }
  });
});
