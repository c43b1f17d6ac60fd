import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditLog } from "#db/schema";
import { CLI_ACTOR, createUser } from "../auth/users.server";
import type { Runtime } from "../lib/runtime.server";
import { bootTestRuntime } from "../../tests/runtime";
import { ROOT } from "../../tests/paths";
import { recordAudit } from "./audit.server";
import { csvCell, csvRow } from "./csv";
import { auditCsv, listAuditEntries, parseAuditParams } from "./queries.server";

let runtime: Runtime;
let close: () => Promise<void>;
let cookie: string;
const ORIGIN = "http://drillbook.test";

beforeAll(async () => {
  ({ runtime, close } = await bootTestRuntime({ SEED_DEMO: "false", ANONYMOUS_READ: "false" }));
  const admin = await createUser(runtime.db, { email: "auditor@lhb.example", role: "admin", password: "auditor-password-1" }, CLI_ACTOR);
  const session = await runtime.lucia.createSession(admin.id, {});
  cookie = `drillbook_session=${session.id}`;
  // Fixed times, so the date filters have something to bite on.
  await runtime.db.insert(auditLog).values([
    { at: new Date("2026-01-05T10:00:00Z"), actor: "chen.wei@lhb.example", action: "system.update", targetType: "system", target: "core-ledger", details: { name: { before: "Ledger", after: "Core Ledger" } } },
    { at: new Date("2026-01-06T23:59:00Z"), actor: "anna.nowak@lhb.example", action: "system.create", targetType: "system", target: "fx-pricing" },
    { at: new Date("2026-01-07T08:00:00Z"), actor: "chen.wei@lhb.example", action: "document.update", targetType: "document", target: "swift-queue-backlog", revision: 3 },
    { at: new Date("2026-01-08T08:00:00Z"), actor: "=HYPERLINK(\"http://evil.example\")", action: "auth.login.failure", targetType: "user", target: "@mallory, \"quoted\"\nline" },
    { at: new Date("2026-01-09T08:00:00Z"), actor: "importer", action: "systemic_%_test", targetType: null, target: null },
  ]);
});
afterAll(async () => {
  await close?.();
});

describe("the audit log is append-only", () => {
  it("the database refuses UPDATE, DELETE and TRUNCATE on audit_log", async () => {
    await recordAudit(runtime.db, { actor: "system", action: "test.append" });
    // drizzle wraps the driver's error ("Failed query: …"); the trigger's message is its cause.
    const refusal = (statement: ReturnType<typeof sql>) =>
      runtime.db.execute(statement).then(
        () => "no error",
        (error: Error) => `${error.message} ${(error.cause as Error | undefined)?.message ?? ""}`,
      );
    expect(await refusal(sql`update audit_log set actor = 'someone else'`)).toMatch(/audit_log is append-only: UPDATE is not allowed/);
    expect(await refusal(sql`delete from audit_log`)).toMatch(/audit_log is append-only: DELETE is not allowed/);
    expect(await refusal(sql`truncate audit_log`)).toMatch(/audit_log is append-only: TRUNCATE is not allowed/);
    const { total } = await listAuditEntries(runtime.db, { action: "test.append" }, { limit: 10, offset: 0 });
    expect(total).toBe(1);
  });

  it("no code in app/, db/ or scripts/ updates or deletes audit rows", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const full = path.join(dir, name);
        if (statSync(full).isDirectory()) {
          if (name !== "node_modules" && name !== "migrations") walk(full);
        } else if (/\.(ts|tsx|js|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name)) {
          const source = readFileSync(full, "utf8");
          const patterns = [/\b(update|delete)\(\s*auditLog\b/, /\b(update|delete\s+from|truncate(\s+table)?)\s+"?audit_log\b/i];
          if (patterns.some((p) => p.test(source))) offenders.push(path.relative(ROOT, full));
        }
      }
    };
    for (const dir of ["app", "db", "scripts"]) walk(path.join(ROOT, dir));
    expect(offenders).toEqual([]);
  });
});

describe("filters", () => {
  const find = async (query: string) => {
    const parsed = parseAuditParams(new URLSearchParams(query));
    if (!parsed.ok) throw new Error(parsed.error);
    const { entries, total } = await listAuditEntries(runtime.db, parsed.filters, { limit: parsed.limit, offset: parsed.offset });
    return { targets: entries.map((e) => e.target), total };
  };

  it("filter by actor (part, any case), action prefix, target type and target; newest first", async () => {
    expect((await find("actor=CHEN.WEI")).targets).toEqual(["swift-queue-backlog", "core-ledger"]);
    expect((await find("action=system.")).targets).toEqual(["fx-pricing", "core-ledger"]);
    // LIKE wildcards in the filter match themselves.
    expect((await find("action=systemic_%")).targets).toEqual([null]);
    expect((await find("targetType=system&target=core-ledger")).targets).toEqual(["core-ledger"]);
  });

  it("from/to take whole UTC days (both inclusive) or date-times, and page with limit/offset", async () => {
    expect((await find("from=2026-01-06&to=2026-01-07")).targets).toEqual(["swift-queue-backlog", "fx-pricing"]);
    expect((await find("to=2026-01-06T23:59:00Z&from=2026-01-01")).targets).toEqual(["fx-pricing", "core-ledger"]);
    const page = await find("from=2026-01-01&to=2026-01-31&limit=2&offset=1");
    expect(page.targets).toHaveLength(2);
    expect(page.total).toBe(5);
  });

  it("names the bad parameter", () => {
    const error = (q: string) => {
      const parsed = parseAuditParams(new URLSearchParams(q));
      return parsed.ok ? null : parsed.error;
    };
    expect(error("from=last tuesday")).toMatch(/^from must be a date/);
    expect(error("to=2026-02-30")).toMatch(/^to must be a date/);
    expect(error("from=2026-02-01&to=2026-01-01")).toBe("from must be before to");
    expect(error("limit=0")).toMatch(/^limit/);
    expect(error("limit=abc")).toMatch(/^limit/);
    expect(error("offset=-1")).toMatch(/^offset/);
    expect(error("actor=&action=&from=")).toBeNull();
  });
});

describe("CSV", () => {
  it("escapes per RFC 4180 and defuses formulas (OWASP CSV injection)", () => {
    expect(csvRow(["plain", 'say "hi"', "a,b", "two\nlines", null, 42, -7])).toBe('plain,"say ""hi""","a,b","two\nlines",,42,-7\r\n');
    for (const dangerous of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) expect(csvCell(dangerous).replace(/^"/, "").startsWith("'")).toBe(true);
    expect(csvCell("=HYPERLINK(\"x\",\"y\")")).toBe('"\'=HYPERLINK(""x"",""y"")"');
    expect(csvCell("a-b")).toBe("a-b");
  });

  it("exports the filtered rows with a header, newest first", async () => {
    const { csv, rows, truncated } = await auditCsv(runtime.db, { targetType: "system" });
    expect({ rows, truncated }).toEqual({ rows: 2, truncated: false });
    const lines = csv.split("\r\n");
    expect(lines[0]).toBe("id,at,actor,actor_user_id,action,target_type,target,revision,ip,details");
    expect(lines[1]).toContain(",2026-01-06T23:59:00.000Z,anna.nowak@lhb.example,,system.create,system,fx-pricing,,,{}");
    expect(lines[2]).toContain(`,"{""name"":{""after"":""Core Ledger"",""before"":""Ledger""}}"`);
  });
});

describe("routes", () => {
  const call = async (file: string, url: string, headers: Record<string, string> = { cookie }) => {
    const mod = (await import(/* @vite-ignore */ path.join(ROOT, "app/routes", file))) as { loader: (args: unknown) => Promise<Response> };
    try {
      return await mod.loader({ request: new Request(`${ORIGIN}${url}`, { headers }), params: {}, context: {} });
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  };

  it("GET /api/v1/audit returns { entries, total } to admins and 400 naming a bad parameter", async () => {
    const ok = await call("api.v1.audit.ts", "/api/v1/audit?action=system.&limit=1");
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { entries: Array<Record<string, unknown>>; total: number };
    expect(body.total).toBe(2);
    expect(body.entries).toEqual([
      expect.objectContaining({ at: "2026-01-06T23:59:00.000Z", actor: "anna.nowak@lhb.example", action: "system.create", target: "fx-pricing" }),
    ]);
    const bad = await call("api.v1.audit.ts", "/api/v1/audit?from=soon");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/^from /);
    expect((await call("api.v1.audit.ts", "/api/v1/audit", {})).status).toBe(401);
  });

  it("GET /admin/audit.csv downloads the filtered rows as a dated CSV file", async () => {
    const response = await call("admin.audit[.]csv.ts", "/admin/audit.csv?action=auth.");
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    const text = await response.text();
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(2); // the header and the row (its target holds a bare line break)
    expect(text).toContain(`"'=HYPERLINK(""http://evil.example"")",,auth.login.failure,user,"'@mallory, ""quoted""\nline"`);
    expect((await call("admin.audit[.]csv.ts", "/admin/audit.csv?to=tomorrow")).status).toBe(400);
  });
});
