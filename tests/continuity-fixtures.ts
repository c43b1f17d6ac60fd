import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Database } from "#db/client";
import { importContent } from "../app/docs/import.server";
import type { Actor } from "../app/docs/save.server";
import { CONTENT_DIR } from "./paths";

/**
 * A small content folder for continuity tests: the demo catalog (content/catalog: core-ledger tier 1
 * with RTO 15, swift-connector tier 2 with RTO 60, fax-confirmation-gateway retired, …), two
 * contingency plans (one archived) and a runbook. `files` adds or replaces files (e.g.
 * `drills/x.yaml`). Returns the folder; remove it with `rm`.
 */
export async function writeContinuityContent(files: Record<string, string> = {}): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), "drillbook-continuity-"));
  await cp(path.join(CONTENT_DIR, "catalog"), path.join(root, "catalog"), { recursive: true });
  const all: Record<string, string> = {
    "plans/plan-ledger.md": [
      "---",
      "kind: contingency_plan",
      "title: Ledger failover",
      "slug: plan-ledger",
      "systems: [core-ledger, swift-connector]",
      "last_reviewed: 2026-06-01",
      'approver: "Chen Wei, Head of Core Banking Operations"',
      "scenarios:",
      "  - Primary database host lost",
      "  - 主库存储故障",
      "---",
      "",
      "# Ledger failover",
      "",
      "Steps.",
      "",
    ].join("\n"),
    "plans/plan-old.md": "---\nkind: contingency_plan\ntitle: Old plan\nslug: plan-old\nsystems: [core-ledger]\nstatus: archived\n---\n\nOld.\n",
    "runbooks/ledger-lag.md": "---\nkind: runbook\ntitle: Ledger lag\nslug: ledger-lag\nsystems: [core-ledger]\n---\n\nSteps.\n",
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), text);
  }
  return root;
}

/** Writes the small content folder and imports it into `db`. */
export async function seedContinuity(db: Database): Promise<void> {
  const root = await writeContinuityContent();
  try {
    await importContent(db, { root, prefix: "" });
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The editor who records drills and inspections in tests. */
export const EDITOR: Actor = { userId: "user-eda", email: "eda@lhb.example", name: "Eda Editor", ip: "10.9.8.7" };
