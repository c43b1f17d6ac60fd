import { eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { documentSystems, slas, systemDependencies, systems, teams } from "../../db/schema";
import { enqueueSearchUpdates } from "../docs/documents.server";
import { canonicalJson } from "../docs/revision";
import { slaFromFile, type SlaFileEntry, type SystemFileEntry, type TeamFileEntry } from "./catalog-file";
import { systemColumnsFromEntry, teamColumnsFromEntry } from "./catalog-entries";

/** Parsed catalog files; each part is optional (an import folder may carry only some). */
export interface CatalogInput {
  teams?: TeamFileEntry[];
  slas?: SlaFileEntry[];
  systems?: SystemFileEntry[];
}

export interface CatalogCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface CatalogSummary {
  teams: CatalogCounts;
  slas: CatalogCounts;
  systems: CatalogCounts;
}

/** A catalog entry refers to a team or system that exists neither in the files nor the database. */
export class CatalogReferenceError extends Error {
  override name = "CatalogReferenceError";
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const counts = (): CatalogCounts => ({ created: 0, updated: 0, unchanged: 0 });

/**
 * Creates or updates teams, SLA tier defaults and systems from catalog files, by slug (tier for SLAs).
 * Entries not in the files are left alone. Search documents of systems whose name, tier or owner
 * changed are queued for reindexing. Run inside the import transaction.
 * @throws CatalogReferenceError when an owner or dependency names an unknown team or system.
 */
export async function upsertCatalog(tx: Executor, input: CatalogInput): Promise<CatalogSummary> {
  const summary: CatalogSummary = { teams: counts(), slas: counts(), systems: counts() };

  const existingTeams = new Map((await tx.select().from(teams)).map((t) => [t.slug, t]));
  for (const entry of input.teams ?? []) {
    const values = teamColumnsFromEntry(entry);
    const existing = existingTeams.get(entry.slug);
    if (!existing) {
      const [row] = await tx.insert(teams).values({ slug: entry.slug, ...values }).returning();
      existingTeams.set(entry.slug, row!);
      summary.teams.created++;
    } else if (differs(existing, values)) {
      await tx.update(teams).set({ ...values, updatedAt: new Date() }).where(eq(teams.id, existing.id));
      summary.teams.updated++;
    } else summary.teams.unchanged++;
  }

  const existingSlas = new Map((await tx.select().from(slas)).map((s) => [s.tier, s]));
  for (const entry of input.slas ?? []) {
    const { tier, ...figures } = entry;
    const values = slaFromFile(figures) as Required<ReturnType<typeof slaFromFile>>;
    const existing = existingSlas.get(tier);
    if (!existing) {
      await tx.insert(slas).values({ tier, ...values });
      summary.slas.created++;
    } else if (differs(existing, values)) {
      await tx.update(slas).set({ ...values, updatedAt: new Date() }).where(eq(slas.tier, tier));
      summary.slas.updated++;
    } else summary.slas.unchanged++;
  }

  const existingSystems = new Map((await tx.select().from(systems)).map((s) => [s.slug, s]));
  const fileSystems = input.systems ?? [];
  const changedSystemIds: number[] = [];
  for (const entry of fileSystems) {
    const ownerTeamId = entry.owner === undefined ? null : existingTeams.get(entry.owner)?.id;
    if (ownerTeamId === undefined) {
      throw new CatalogReferenceError(
        "catalog/systems.yaml",
        `${entry.slug}.owner`,
        `system "${entry.slug}": owner team "${entry.owner}" is not in catalog/teams.yaml or the database; add the team or fix the slug`,
      );
    }
    const values = { ...systemColumnsFromEntry(entry), ownerTeamId };
    const existing = existingSystems.get(entry.slug);
    if (!existing) {
      const [row] = await tx.insert(systems).values({ slug: entry.slug, ...values }).returning();
      existingSystems.set(entry.slug, row!);
      summary.systems.created++;
    } else if (differs(existing, values)) {
      await tx.update(systems).set({ ...values, updatedAt: new Date() }).where(eq(systems.id, existing.id));
      if (existing.name !== values.name || existing.tier !== values.tier || existing.ownerTeamId !== ownerTeamId) {
        changedSystemIds.push(existing.id);
      }
      summary.systems.updated++;
    } else summary.systems.unchanged++;
  }

  for (const entry of fileSystems) {
    const systemId = existingSystems.get(entry.slug)!.id;
    const dependsOn = entry.depends_on.map((slug) => {
      const target = existingSystems.get(slug);
      if (!target) {
        throw new CatalogReferenceError(
          "catalog/systems.yaml",
          `${entry.slug}.depends_on`,
          `system "${entry.slug}": depends_on names "${slug}", which is not a system; add it to catalog/systems.yaml or fix the slug`,
        );
      }
      return target.id;
    });
    await tx.delete(systemDependencies).where(eq(systemDependencies.systemId, systemId));
    if (dependsOn.length > 0) {
      await tx.insert(systemDependencies).values(dependsOn.map((dependsOnId) => ({ systemId, dependsOnId })));
    }
  }

  if (changedSystemIds.length > 0) {
    const linked = await tx
      .selectDistinct({ id: documentSystems.documentId })
      .from(documentSystems)
      .where(inArray(documentSystems.systemId, changedSystemIds));
    await enqueueSearchUpdates(
      tx,
      linked.map((r) => r.id),
    );
  }
  return summary;
}

function differs(existing: Record<string, unknown>, values: Record<string, unknown>): boolean {
  return Object.entries(values).some(([key, value]) => canonicalJson(existing[key]) !== canonicalJson(value));
}
