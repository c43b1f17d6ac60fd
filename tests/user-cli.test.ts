import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScript } from "./e2e/harness";

/** `npm run user` as a separate process against a PGlite data directory (the harness strips DATABASE_URL). */
let dataDir: string;
beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), "drillbook-user-cli-"));
});
afterAll(() => rm(dataDir, { recursive: true, force: true }));

// Each run starts tsx and migrates PGlite: seconds each, more on a busy machine.
describe("npm run user", { timeout: 180_000 }, () => {
  it("creates an account, prints a token once, and resets a password", async () => {
    const create = await runScript("scripts/user.ts", ["create", "--email", "Ops.Lead@lhb.example", "--role", "admin", "--name", "Ops Lead", "--password", "cli-password-1"], { DATA_DIR: dataDir });
    expect(create.output).toContain("Created admin ops.lead@lhb.example (Ops Lead).");
    expect(create.code).toBe(0);

    const token = await runScript("scripts/user.ts", ["token", "--email", "ops.lead@lhb.example", "--scope", "read", "--name", "grafana"], { DATA_DIR: dataDir });
    expect(token.code).toBe(0);
    expect(token.output).toMatch(/^ {2}dbk_[A-Za-z0-9_-]{40}$/m);

    const reset = await runScript("scripts/user.ts", ["reset-password", "--email", "ops.lead@lhb.example", "--password", "cli-password-2"], { DATA_DIR: dataDir });
    expect(reset.output).toContain("Password of ops.lead@lhb.example changed; 0 session(s) ended");
    expect(reset.code).toBe(0);
  });

  it("refuses to ask for a password when stdin is not a terminal, and explains bad input", async () => {
    const noTty = await runScript("scripts/user.ts", ["create", "--email", "a@lhb.example", "--role", "viewer"], { DATA_DIR: dataDir });
    expect(noTty.code).toBe(2);
    expect(noTty.output).toContain("No --password given and stdin is not a terminal");

    const taken = await runScript("scripts/user.ts", ["create", "--email", "ops.lead@lhb.example", "--role", "editor", "--password", "long enough pw"], { DATA_DIR: dataDir });
    expect(taken.code).toBe(1);
    expect(taken.output).toContain("An account with the e-mail ops.lead@lhb.example already exists.");

    const usage = await runScript("scripts/user.ts", ["delete"], { DATA_DIR: dataDir });
    expect(usage.code).toBe(2);
    expect(usage.output).toContain("usage:");
  });
});
