import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseHandle } from "#db/client";
import { auditLog, correctiveActions, incidentEvents, incidents } from "#db/schema";
import { createTestDatabase } from "../../tests/db";
import { importContent } from "../docs/import.server";
import { getIncident } from "./incidents.server";

const CONTENT = path.resolve(__dirname, "../../content");
const DFDS = path.resolve(__dirname, "../../../shared/corpora/dfds-postmortems");

let handle: DatabaseHandle;
let db: DatabaseHandle["db"];
beforeAll(async () => {
  handle = await createTestDatabase();
  db = handle.db;
});
afterAll(() => handle.close());

const rows = async (table: typeof incidents | typeof auditLog | typeof incidentEvents | typeof correctiveActions) => (await db.select({ n: count() }).from(table))[0]!.n;
const byKey = async (key: string) => {
  const [row] = await db.select({ number: incidents.number }).from(incidents).where(eq(incidents.externalKey, key));
  return row ? getIncident(db, row.number) : null;
};

describe("incidents from imported content", () => {
  it("creates an incident per demo postmortem from its frontmatter, timeline rows and actions table", async () => {
    const summary = await importContent(db, { root: CONTENT, prefix: "" });
    expect(summary.incidents!.created).toBeGreaterThanOrEqual(4);
    const tls = (await byKey("postmortem:pm-2026-03-payment-gateway-tls-expiry"))!;
    expect(tls).toMatchObject({ severity: "SEV1", status: "closed", customerImpact: true, rootCauseCategory: "configuration", detectionSource: "customer", origin: "import" });
    expect(tls.systems.map((s) => s.slug)).toEqual(["payment-gateway", "internet-banking"]);
    expect(tls.startedAt.toISOString()).toBe("2026-03-10T00:00:00.000Z");
    expect(tls.mitigatedAt!.toISOString()).toBe("2026-03-10T00:47:00.000Z");
    expect(tls.timestampSources.startedAt).toBe("frontmatter started_at: 2026-03-10T00:00:00Z");
    expect(tls.postmortem!.slug).toBe("pm-2026-03-payment-gateway-tls-expiry");
    expect(tls.summary).toMatch(/^At 00:00 UTC on Tuesday 10 March 2026/);
    // Runbooks linked from the timeline rows were "used".
    expect(tls.runbooks.map((r) => r.slug)).toEqual(["certificate-expiring-soon"]);
    // Each timeline row is an event that names the row it came from.
    const expiry = tls.events.find((e) => e.text.startsWith("**Certificate expires.**"))!;
    expect(expiry.source).toMatch(/^postmortem: pm-2026-03-payment-gateway-tls-expiry$/);
    expect(tls.events.length).toBeGreaterThan(15);
    expect(tls.actions.map((a) => a.status).sort()).toEqual(["done", "done", "done", "done", "done", "done", "done", "in_progress", "wont_do"]);
    const nav = (await byKey("postmortem:pm-2025-11-nav-late-stale-prices"))!;
    expect(nav.runbooks.map((r) => r.slug)).toContain("market-data-stale-prices");
  });

  it("imports the DFDS postmortems, reporting what it could not parse", async () => {
    const summary = await importContent(db, { root: DFDS, kind: "postmortem" });
    const result = summary.incidents!;
    expect(result.created).toBe(38); // 40 postmortem files; PM2020-003 and the template have no usable time
    const notParsed = result.notParsed.join("\n");
    expect(notParsed).toContain("PM2020-003 - Postmortem for ADSync migration.md: no incident created: no start time");
    expect(notParsed).toContain("PM2021-011 - Log4Shell.md: row 1 (“2021-12-10”): a date without a time; not placed on the timeline");
    expect(notParsed).toContain("PM2020-001 - Inotify file watches exhaustion.md: severity not stated; recorded as SEV3");
    const alb = (await byKey("postmortem:dfds-postmortems/pm2020-005-alb-instance-attachment"))!;
    expect(alb.startedAt.toISOString()).toBe("2020-06-09T09:00:00.000Z");
    expect(alb.resolvedAt!.toISOString()).toBe("2020-06-09T11:13:00.000Z");
    expect(alb.timezone).toBe("Europe/Copenhagen");
    expect(alb.timestampSources.resolvedAt).toContain("row 6 (line");
    expect(alb.timestampSources.resolvedAt).toContain("UTC+02:00 on this date");
    expect(alb.systems).toEqual([]);
    expect(alb.events.map((e) => e.at.toISOString())[0]).toBe("2020-06-09T09:00:00.000Z");
  });

  it("writes nothing when the same content is imported again", async () => {
    const before = { incidents: await rows(incidents), audit: await rows(auditLog), events: await rows(incidentEvents), actions: await rows(correctiveActions) };
    const [stamp] = await db.select({ updatedAt: incidents.updatedAt, version: incidents.version }).from(incidents).where(eq(incidents.externalKey, "postmortem:pm-2026-03-payment-gateway-tls-expiry"));
    const demo = await importContent(db, { root: CONTENT, prefix: "" });
    const dfds = await importContent(db, { root: DFDS, kind: "postmortem" });
    expect(demo.incidents).toMatchObject({ created: 0, updated: 0 });
    expect(dfds.incidents).toMatchObject({ created: 0, updated: 0, unchanged: 38 });
    expect({ incidents: await rows(incidents), audit: await rows(auditLog), events: await rows(incidentEvents), actions: await rows(correctiveActions) }).toEqual(before);
    const [after] = await db.select({ updatedAt: incidents.updatedAt, version: incidents.version }).from(incidents).where(eq(incidents.externalKey, "postmortem:pm-2026-03-payment-gateway-tls-expiry"));
    expect(after).toEqual(stamp);
  });

  it("updates the incident of a changed postmortem, audited", async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), "pm-"));
    try {
      const folder = path.join(dir, "dfds-postmortems");
      await cp(DFDS, folder, { recursive: true });
      const file = path.join(folder, "PM2020-005 - ALB instance attachment.md");
      await writeFile(file, (await readFile(file, "utf8")).replace("| 2020-06-09 13:13 | Issue resolved", "| 2020-06-09 13:20 | Issue resolved"));
      const audits = await rows(auditLog);
      const summary = await importContent(db, { root: folder, kind: "postmortem" });
      expect(summary.incidents).toMatchObject({ created: 0, updated: 1, unchanged: 37 });
      const alb = (await byKey("postmortem:dfds-postmortems/pm2020-005-alb-instance-attachment"))!;
      expect(alb.resolvedAt!.toISOString()).toBe("2020-06-09T11:20:00.000Z");
      expect(alb.version).toBe(2);
      expect(await rows(auditLog)).toBeGreaterThan(audits);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
