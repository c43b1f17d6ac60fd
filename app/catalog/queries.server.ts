import { asc, count, eq } from "drizzle-orm";
import type { Database } from "../../db/client";
import { documentSystems, documents, slas, systemDependencies, systems, teams } from "../../db/schema";
import type { DocumentKind, DocumentStatus } from "../../db/schema/documents";
import { effectiveSla } from "./sla";

export interface SystemListItem {
  slug: string;
  name: string;
  tier: number;
  lifecycle: "active" | "retired";
  owner: { slug: string; name: string } | null;
  /** Published documents linked to the system, by kind. */
  documentCounts: Partial<Record<DocumentKind, number>>;
}

/** Every system with its owner and published-document counts, by tier then name. */
export async function listSystems(db: Database): Promise<SystemListItem[]> {
  const [rows, counts] = await Promise.all([
    db
      .select({
        slug: systems.slug,
        name: systems.name,
        tier: systems.tier,
        lifecycle: systems.lifecycle,
        ownerSlug: teams.slug,
        ownerName: teams.name,
      })
      .from(systems)
      .leftJoin(teams, eq(teams.id, systems.ownerTeamId))
      .orderBy(asc(systems.tier), asc(systems.name)),
    db
      .select({ slug: systems.slug, kind: documents.kind, n: count() })
      .from(documentSystems)
      .innerJoin(systems, eq(systems.id, documentSystems.systemId))
      .innerJoin(documents, eq(documents.id, documentSystems.documentId))
      .where(eq(documents.status, "published"))
      .groupBy(systems.slug, documents.kind),
  ]);
  const bySystem = new Map<string, Partial<Record<DocumentKind, number>>>();
  for (const c of counts) bySystem.set(c.slug, { ...bySystem.get(c.slug), [c.kind]: Number(c.n) });
  return rows.map((r) => ({
    slug: r.slug,
    name: r.name,
    tier: r.tier,
    lifecycle: r.lifecycle,
    owner: r.ownerSlug ? { slug: r.ownerSlug, name: r.ownerName! } : null,
    documentCounts: bySystem.get(r.slug) ?? {},
  }));
}

export interface LinkedDocument {
  slug: string;
  title: string;
  kind: DocumentKind;
  status: DocumentStatus;
  lastReviewed: string | null;
  updatedAt: Date;
}

/**
 * One system with everything its page shows: effective SLA (tier defaults plus overrides),
 * owner team, dependencies both ways, critical windows, escalation matrix and linked documents.
 * Returns null when there is no such system.
 */
export async function getSystem(db: Database, slug: string) {
  const [row] = await db
    .select({ system: systems, owner: teams })
    .from(systems)
    .leftJoin(teams, eq(teams.id, systems.ownerTeamId))
    .where(eq(systems.slug, slug));
  if (!row) return null;
  const { system } = row;
  const related = () =>
    db
      .select({ slug: systems.slug, name: systems.name, tier: systems.tier, lifecycle: systems.lifecycle })
      .from(systemDependencies);
  const [tierSla, dependsOn, dependents, docs] = await Promise.all([
    db.select().from(slas).where(eq(slas.tier, system.tier)),
    related()
      .innerJoin(systems, eq(systems.id, systemDependencies.dependsOnId))
      .where(eq(systemDependencies.systemId, system.id))
      .orderBy(asc(systems.tier), asc(systems.name)),
    related()
      .innerJoin(systems, eq(systems.id, systemDependencies.systemId))
      .where(eq(systemDependencies.dependsOnId, system.id))
      .orderBy(asc(systems.tier), asc(systems.name)),
    db
      .select({
        slug: documents.slug,
        title: documents.title,
        kind: documents.kind,
        status: documents.status,
        lastReviewed: documents.lastReviewed,
        updatedAt: documents.updatedAt,
      })
      .from(documentSystems)
      .innerJoin(documents, eq(documents.id, documentSystems.documentId))
      .where(eq(documentSystems.systemId, system.id))
      .orderBy(asc(documents.kind), asc(documents.title)),
  ]);
  return {
    system,
    owner: row.owner,
    sla: effectiveSla(tierSla[0], system.slaOverrides),
    dependsOn,
    dependents,
    documents: docs satisfies LinkedDocument[],
  };
}
export type SystemDetail = NonNullable<Awaited<ReturnType<typeof getSystem>>>;

/** Every team with its systems (slug, name, tier), by name. */
export async function listTeams(db: Database) {
  const [teamRows, systemRows] = await Promise.all([
    db.select().from(teams).orderBy(asc(teams.name)),
    db
      .select({ slug: systems.slug, name: systems.name, tier: systems.tier, lifecycle: systems.lifecycle, ownerTeamId: systems.ownerTeamId })
      .from(systems)
      .orderBy(asc(systems.tier), asc(systems.name)),
  ]);
  return teamRows.map((team) => ({ ...team, systems: systemRows.filter((s) => s.ownerTeamId === team.id) }));
}

/** SLA defaults for all tiers, by tier. */
export function listSlas(db: Database) {
  return db.select().from(slas).orderBy(asc(slas.tier));
}

/** Systems by tier for the home page: active only, with names. */
export async function systemsByTier(db: Database): Promise<Array<{ tier: number; systems: Array<{ slug: string; name: string }> }>> {
  const rows = await db
    .select({ slug: systems.slug, name: systems.name, tier: systems.tier })
    .from(systems)
    .where(eq(systems.lifecycle, "active"))
    .orderBy(asc(systems.tier), asc(systems.name));
  const tiers = [1, 2, 3, 4].map((tier) => ({ tier, systems: rows.filter((r) => r.tier === tier) }));
  return tiers.filter((t) => t.systems.length > 0);
}


/** Display names of all systems and teams by slug (for facet labels). */
export async function catalogNames(db: Database): Promise<{ systems: Record<string, string>; teams: Record<string, string> }> {
  const [systemRows, teamRows] = await Promise.all([
    db.select({ slug: systems.slug, name: systems.name }).from(systems),
    db.select({ slug: teams.slug, name: teams.name }).from(teams),
  ]);
  return {
    systems: Object.fromEntries(systemRows.map((r) => [r.slug, r.name])),
    teams: Object.fromEntries(teamRows.map((r) => [r.slug, r.name])),
  };
}
