import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { createLucia } from "./lucia.server";
import { completeSetup, setupState, setupTokenMatches, type SetupRuntime } from "./setup.server";
import { AccountError } from "./users.server";

let handle: DatabaseHandle;
let runtime: SetupRuntime;
beforeAll(async () => {
  handle = await createTestDatabase();
  runtime = { db: handle.db, lucia: createLucia(handle.db), setupToken: "one-time-setup-token" };
});
afterAll(() => handle.close());

const form = { token: "one-time-setup-token", name: "Mei Lin", email: "Mei.Lin@lhb.example", password: "first-admin-pw", confirm: "first-admin-pw" };

describe("first-admin setup", () => {
  it("compares the token in constant time and refuses a missing or wrong one", async () => {
    expect(setupTokenMatches("abc", "abc")).toBe(true);
    expect(setupTokenMatches("abc", "abcd")).toBe(false);
    expect(setupTokenMatches(null, "")).toBe(false);
    expect(await setupState(runtime, "wrong")).toBe("invalid");
    expect(await completeSetup(runtime, { ...form, token: "wrong" }, null)).toEqual({ ok: false, state: "invalid" });
  });

  it("keeps the token when the form is wrong, so it can be corrected", async () => {
    await expect(completeSetup(runtime, { ...form, confirm: "another-password" }, null)).rejects.toThrow("The two passwords differ");
    const short = await completeSetup(runtime, { ...form, password: "short", confirm: "short" }, null).catch((e: unknown) => e);
    expect(short).toBeInstanceOf(AccountError);
    expect(runtime.setupToken).toBe("one-time-setup-token");
    expect(await setupState(runtime, form.token)).toBe("ready");
  });

  it("creates the first admin, signs them in, retires the token and audits user.create", async () => {
    const result = await completeSetup(runtime, form, "10.0.0.1");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.user).toMatchObject({ email: "mei.lin@lhb.example", name: "Mei Lin", role: "admin" });
    expect((await runtime.lucia.validateSession(result.sessionId)).user?.id).toBe(result.user.id);
    expect(runtime.setupToken).toBeNull();
    const [entry] = await handle.db.select().from(auditLog).where(eq(auditLog.action, "user.create"));
    expect(entry).toMatchObject({ actor: "mei.lin@lhb.example", ip: "10.0.0.1", details: { role: "admin", via: "setup" } });
  });

  it("says 'done' once an account exists, even with the old token", async () => {
    runtime.setupToken = "one-time-setup-token";
    expect(await setupState(runtime, form.token)).toBe("done");
    expect(await completeSetup(runtime, { ...form, email: "second@lhb.example" }, null)).toEqual({ ok: false, state: "done" });
  });
});
