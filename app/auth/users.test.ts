import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiTokens, auditLog, users } from "#db/schema";
import type { Runtime } from "../lib/runtime.server";
import { runCommand } from "../lib/commands.server";
import { bootTestRuntime } from "../../tests/runtime";
import { verifyPassword } from "./password.server";
import { getViewer, hashToken, requireReader, requireRole } from "./session.server";
import { AccountError, CLI_ACTOR, createApiToken, createUser, listApiTokens, resetPassword, revokeApiToken } from "./users.server";

// The session guards find the database through getRuntime(), so this file boots the real runtime
// (fresh PGlite data directory, or a fresh PostgreSQL database with DATABASE_URL), without the demo.
let runtime: Runtime;
let close: () => Promise<void>;
beforeAll(async () => {
  ({ runtime, close } = await bootTestRuntime({ SEED_DEMO: "false" }));
});
afterAll(() => close());

async function refusal(promise: Promise<unknown>): Promise<AccountError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AccountError);
  return error as AccountError;
}

async function thrownResponse(promise: Promise<unknown>): Promise<Response> {
  const thrown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(thrown).toBeInstanceOf(Response);
  return thrown as Response;
}

const api = (token: string, method = "GET") =>
  new Request("http://localhost/api/v1/documents/core-ledger", { method, headers: { authorization: `Bearer ${token}` } });

describe("createUser", () => {
  it("creates an account with a lower-cased e-mail and an argon2id hash, audited without the password", async () => {
    const user = await createUser(runtime.db, { email: " Wei.Zhang@LHB.example ", role: "editor", password: "zhang-secret-2024" }, CLI_ACTOR);
    expect(user).toMatchObject({ email: "wei.zhang@lhb.example", name: "wei.zhang", role: "editor", disabledAt: null });
    const [row] = await runtime.db.select().from(users).where(eq(users.id, user.id));
    expect(row!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(row!.passwordHash!, "zhang-secret-2024")).toBe(true);
    const [entry] = await runtime.db.select().from(auditLog).where(eq(auditLog.target, "wei.zhang@lhb.example"));
    expect(entry).toMatchObject({ action: "user.create", actor: "system", targetType: "user", details: { role: "editor", via: "cli" } });
    expect(JSON.stringify(entry)).not.toContain("zhang-secret-2024");
  });

  it("refuses a bad e-mail, role or password length, and a taken e-mail, with messages that say what to fix", async () => {
    const base = { email: "ok@lhb.example", role: "viewer", password: "long enough pw" };
    const email = await refusal(createUser(runtime.db, { ...base, email: "not-an-email" }, CLI_ACTOR));
    expect(email).toMatchObject({ field: "email", status: 400 });
    expect(email.message).toBe('"not-an-email" is not an e-mail address; write it like ana.kowalska@lhb.example');
    const role = await refusal(createUser(runtime.db, { ...base, role: "superuser" }, CLI_ACTOR));
    expect(role).toMatchObject({ field: "role", message: 'The role must be one of viewer, editor, admin (got "superuser").' });
    const short = await refusal(createUser(runtime.db, { ...base, password: "short" }, CLI_ACTOR));
    expect(short).toMatchObject({ field: "password", message: "The password needs at least 10 characters (this one has 5)." });
    const taken = await refusal(createUser(runtime.db, { ...base, email: "WEI.ZHANG@lhb.example" }, CLI_ACTOR));
    expect(taken).toMatchObject({ field: "email", status: 409, message: "An account with the e-mail wei.zhang@lhb.example already exists." });
    expect(await runtime.db.select().from(users).where(eq(users.email, "ok@lhb.example"))).toEqual([]);
  });
});

describe("resetPassword", () => {
  it("sets the new password and ends every session of that user", async () => {
    const user = await createUser(runtime.db, { email: "priya.nair@lhb.example", role: "viewer", password: "first-password-1" }, CLI_ACTOR);
    const a = await runtime.lucia.createSession(user.id, {});
    const b = await runtime.lucia.createSession(user.id, {});
    expect(await resetPassword(runtime.db, { email: "Priya.Nair@lhb.example", password: "second-password-2" }, CLI_ACTOR)).toEqual({ sessionsEnded: 2 });
    expect((await runtime.lucia.validateSession(a.id)).session).toBeNull();
    expect((await runtime.lucia.validateSession(b.id)).session).toBeNull();
    const [row] = await runtime.db.select().from(users).where(eq(users.id, user.id));
    expect(await verifyPassword(row!.passwordHash!, "second-password-2")).toBe(true);
    expect(await verifyPassword(row!.passwordHash!, "first-password-1")).toBe(false);
    const [entry] = await runtime.db.select().from(auditLog).where(eq(auditLog.action, "user.password.reset"));
    expect(entry).toMatchObject({ target: "priya.nair@lhb.example", details: { sessionsEnded: 2 } });
  });

  it("refuses an unknown account and a short password", async () => {
    expect(await refusal(resetPassword(runtime.db, { email: "ghost@lhb.example", password: "long enough pw" }, CLI_ACTOR))).toMatchObject({
      status: 404,
      message: "No account has the e-mail ghost@lhb.example.",
    });
    expect(await refusal(resetPassword(runtime.db, { email: "priya.nair@lhb.example", password: "tiny" }, CLI_ACTOR))).toMatchObject({ field: "password" });
  });
});

describe("API tokens", () => {
  let editorId: string;
  beforeAll(async () => {
    editorId = (await createUser(runtime.db, { email: "tokens@lhb.example", role: "editor", password: "tokens-password" }, CLI_ACTOR)).id;
  });

  it("stores only the sha256 of the token and its prefix", async () => {
    const { token, summary } = await createApiToken(runtime.db, { userId: editorId, name: "alertmanager", scope: "read" }, CLI_ACTOR);
    expect(token).toMatch(/^dbk_[A-Za-z0-9_-]{40}$/);
    const [row] = await runtime.db.select().from(apiTokens).where(eq(apiTokens.id, summary.id));
    expect(row!.tokenHash).toBe(hashToken(token));
    expect(row!.prefix).toBe(token.slice(0, 12));
    expect(JSON.stringify(row)).not.toContain(token);
    const audit = await runtime.db.select().from(auditLog).where(eq(auditLog.action, "token.create"));
    expect(JSON.stringify(audit)).not.toContain(token);
    expect(audit[0]).toMatchObject({ targetType: "token", target: summary.id, details: { scope: "read", owner: "tokens@lhb.example" } });
  });

  it("a read-scope token can read, but requireRole(editor) refuses its POST with 403", async () => {
    const { token } = await createApiToken(runtime.db, { userId: editorId, name: "reader", scope: "read" }, CLI_ACTOR);
    expect(await getViewer(api(token))).toMatchObject({ id: editorId, via: "token", scope: "read", sessionId: null });
    expect(await requireReader(api(token))).toMatchObject({ id: editorId });
    expect(await requireRole(api(token), "editor")).toMatchObject({ id: editorId });
    const refused = await thrownResponse(requireRole(api(token, "POST"), "editor"));
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toMatch(/read scope; create one with the write scope/);
    const [row] = await runtime.db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(token)));
    expect(row!.lastUsedAt).not.toBeNull();
  });

  it("a write-scope token may change what its owner's role allows, and no more", async () => {
    const { token } = await createApiToken(runtime.db, { email: "tokens@lhb.example", name: "ci", scope: "write" }, CLI_ACTOR);
    expect(await requireRole(api(token, "POST"), "editor")).toMatchObject({ id: editorId, scope: "write" });
    const refused = await thrownResponse(requireRole(api(token, "PUT"), "admin"));
    expect(refused.status).toBe(403);
  });

  it("a revoked token is nobody (401 on the API)", async () => {
    const { token, summary } = await createApiToken(runtime.db, { userId: editorId, name: "old", scope: "write" }, CLI_ACTOR);
    expect(await revokeApiToken(runtime.db, { id: summary.id, ownerId: editorId }, { userId: editorId, label: "tokens@lhb.example" })).toBe(true);
    expect(await revokeApiToken(runtime.db, { id: summary.id }, CLI_ACTOR)).toBe(false);
    expect(await getViewer(api(token))).toBeNull();
    const refused = await thrownResponse(requireReader(api(token)));
    expect(refused.status).toBe(401);
    const listed = (await listApiTokens(runtime.db, editorId)).find((t) => t.id === summary.id);
    expect(listed?.revokedAt).toBeInstanceOf(Date);
    const revokes = await runtime.db.select().from(auditLog).where(eq(auditLog.action, "token.revoke"));
    expect(revokes).toHaveLength(1);
  });

  it("a token of a disabled user is nobody; nobody revokes someone else's token; bad names and scopes are refused", async () => {
    const other = await createUser(runtime.db, { email: "other@lhb.example", role: "viewer", password: "other-password" }, CLI_ACTOR);
    const { token, summary } = await createApiToken(runtime.db, { userId: other.id, name: "theirs", scope: "read" }, CLI_ACTOR);
    expect(await refusal(revokeApiToken(runtime.db, { id: summary.id, ownerId: editorId }, CLI_ACTOR))).toMatchObject({ status: 404 });
    await runtime.db.update(users).set({ disabledAt: new Date() }).where(eq(users.id, other.id));
    expect(await getViewer(api(token))).toBeNull();
    expect(await refusal(createApiToken(runtime.db, { userId: editorId, name: " ", scope: "read" }, CLI_ACTOR))).toMatchObject({ field: "name" });
    expect(await refusal(createApiToken(runtime.db, { userId: editorId, name: "x", scope: "admin" }, CLI_ACTOR))).toMatchObject({
      field: "scope",
      message: 'The scope must be one of read, write (got "admin").',
    });
  });
});

describe("npm run user commands (runCommand, as the CLI or the server runs them)", () => {
  it("create, token and reset-password report what they did; create retires the setup link in the server", async () => {
    const lines: string[] = [];
    let retired = false;
    const ctx = { db: runtime.db, search: null, log: (l: string) => lines.push(l), onUserCreated: () => void (retired = true) };
    expect(await runCommand("user-create", { email: "cli@lhb.example", role: "admin", name: "CLI Admin", password: "cli-password-1" }, ctx)).toBe(0);
    expect(retired).toBe(true);
    expect(lines.at(-1)).toBe("Created admin cli@lhb.example (CLI Admin). They can sign in at /login now.");

    lines.length = 0;
    expect(await runCommand("user-token", { email: "cli@lhb.example", scope: "write", name: "deploy" }, ctx)).toBe(0);
    const token = lines.map((l) => l.trim()).find((l) => l.startsWith("dbk_"))!;
    expect(await getViewer(api(token))).toMatchObject({ email: "cli@lhb.example", scope: "write" });
    expect(lines.join("\n")).toContain("shown only this once");

    lines.length = 0;
    expect(await runCommand("user-reset-password", { email: "cli@lhb.example", password: "cli-password-2" }, ctx)).toBe(0);
    expect(lines[0]).toMatch(/^Password of cli@lhb\.example changed; 0 session\(s\) ended/);
  });

  it("handed to the server (POST /internal/commands/user-create), creating a user retires the setup link", async () => {
    expect(runtime.setupToken).not.toBeNull(); // booted without accounts
    const { action } = await import("../routes/internal.commands.$name");
    const response = (await action({
      request: new Request("http://127.0.0.1/internal/commands/user-create", {
        method: "POST",
        headers: { authorization: `Bearer ${runtime.commandToken}`, "content-type": "application/json" },
        body: JSON.stringify({ email: "handed@lhb.example", role: "viewer", password: "handed-over-pw" }),
      }),
      params: { name: "user-create" },
      context: {},
    })) as Response;
    const output = await response.text();
    expect(output).toContain("Created viewer handed@lhb.example");
    expect(output).toMatch(/\u0000exit 0\n$/);
    expect(output).not.toContain("handed-over-pw");
    expect(runtime.setupToken).toBeNull();
  });

  it("refuses bad input with exit code 1 and the reason", async () => {
    const lines: string[] = [];
    const ctx = { db: runtime.db, search: null, log: (l: string) => lines.push(l) };
    expect(await runCommand("user-create", { email: "x@lhb.example", role: "root", password: "long enough pw" }, ctx)).toBe(1);
    expect(await runCommand("user-create", { role: "viewer", password: "long enough pw" }, ctx)).toBe(1);
    expect(await runCommand("user-token", { email: "nobody@lhb.example", scope: "read" }, ctx)).toBe(1);
    expect(lines).toEqual([
      'error: The role must be one of viewer, editor, admin (got "root").',
      "error: give --email <address>",
      "error: No account has the e-mail nobody@lhb.example.",
    ]);
  });
});
