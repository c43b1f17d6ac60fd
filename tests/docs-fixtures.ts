import type { Database } from "#db/client";
import { systems, teams } from "#db/schema";
import type { Actor } from "../app/docs/save.server";

/** A small catalog for document tests: two teams, three systems (one retired). */
export async function seedDocsCatalog(db: Database): Promise<void> {
  await db.insert(teams).values([
    { slug: "core-banking-ops", name: "Core Banking Ops", region: "Shanghai" },
    { slug: "platform-sre", name: "Platform SRE", region: "Kraków" },
  ]);
  await db.insert(systems).values([
    { slug: "core-ledger", name: "Core ledger", tier: 1 },
    { slug: "payment-gateway", name: "Payment gateway", tier: 1 },
    { slug: "fax-gateway", name: "Fax gateway", tier: 4, lifecycle: "retired" },
  ]);
}

/** Editors who save in document tests. */
export const ALICE: Actor = { userId: "user-alice", email: "alice@lhb.example", name: "Alice Chen", ip: "10.1.2.3" };
export const BOGDAN: Actor = { userId: "user-bogdan", email: "bogdan@lhb.example", name: "Bogdan Nowak", ip: "10.4.5.6" };
