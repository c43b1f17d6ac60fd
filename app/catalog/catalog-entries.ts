import type { EscalationLevel, Sla, SlaFigures, System, Team } from "../../db/schema/catalog";
import { slaFromFile, type SlaFileEntry, type SystemFileEntry, type TeamFileEntry } from "./catalog-file";

/**
 * Conversions between database rows and catalog file entries (the snake_case shapes of
 * `content/catalog/*.yaml`, validated by catalog-file.ts). Used by the export (rows -> files) and by
 * the admin pages (rows -> form defaults, entries -> columns), so files, forms and the database agree.
 * Optional values that are absent are left out of an entry, never written as null.
 */

type SlaFields = Omit<SlaFileEntry, "tier">;

/** snake_case SLA fields (only those present) from SLA figures: the inverse of `slaFromFile`. */
export function slaToFile(figures: Partial<SlaFigures>): Partial<SlaFields> {
  const out: Partial<SlaFields> = {};
  if (figures.availability !== undefined) out.availability = figures.availability;
  if (figures.rtoMinutes !== undefined) out.rto_minutes = figures.rtoMinutes;
  if (figures.rpoMinutes !== undefined) out.rpo_minutes = figures.rpoMinutes;
  if (figures.drillIntervalDays !== undefined) out.drill_interval_days = figures.drillIntervalDays;
  if (figures.inspectionIntervalDays !== undefined) out.inspection_interval_days = figures.inspectionIntervalDays;
  if (figures.planReviewIntervalDays !== undefined) out.plan_review_interval_days = figures.planReviewIntervalDays;
  if (figures.responseMinutes !== undefined) {
    const r = figures.responseMinutes;
    out.response_minutes = { SEV1: r.SEV1, SEV2: r.SEV2, SEV3: r.SEV3, SEV4: r.SEV4 };
  }
  return out;
}

/** A team row as a `catalog/teams.yaml` entry. */
export function teamToEntry(team: Pick<Team, "slug" | "name" | "region" | "timezone" | "channel" | "email" | "description">): TeamFileEntry {
  const entry: TeamFileEntry = { slug: team.slug, name: team.name };
  if (team.region !== null) entry.region = team.region;
  if (team.timezone !== null) entry.timezone = team.timezone;
  if (team.channel !== null) entry.channel = team.channel;
  if (team.email !== null) entry.email = team.email;
  if (team.description !== null) entry.description = team.description;
  return entry;
}

/** Team columns from a validated entry (the slug is the key and not among them). */
export function teamColumnsFromEntry(entry: TeamFileEntry) {
  return {
    name: entry.name,
    region: entry.region ?? null,
    timezone: entry.timezone ?? null,
    channel: entry.channel ?? null,
    email: entry.email ?? null,
    description: entry.description?.trim() ?? null,
  };
}

/** An SLA tier row as a `catalog/slas.yaml` entry. */
export function slaToEntry(sla: Sla): SlaFileEntry {
  return {
    tier: sla.tier,
    availability: sla.availability,
    rto_minutes: sla.rtoMinutes,
    rpo_minutes: sla.rpoMinutes,
    drill_interval_days: sla.drillIntervalDays,
    inspection_interval_days: sla.inspectionIntervalDays,
    plan_review_interval_days: sla.planReviewIntervalDays,
    response_minutes: { ...slaToFile({ responseMinutes: sla.responseMinutes }).response_minutes! },
  };
}

/**
 * A system row as a `catalog/systems.yaml` entry. `ownerSlug` is its owner team's slug (null: none);
 * `dependsOn` the slugs of the systems it depends on (sorted here).
 */
export function systemToEntry(
  system: Pick<System, "slug" | "name" | "description" | "tier" | "lifecycle" | "slaOverrides" | "criticalWindows" | "escalation">,
  ownerSlug: string | null,
  dependsOn: readonly string[],
): SystemFileEntry {
  const entry: SystemFileEntry = {
    slug: system.slug,
    name: system.name,
    description: system.description,
    tier: system.tier,
    lifecycle: system.lifecycle,
    depends_on: [...dependsOn].sort(),
    critical_windows: system.criticalWindows.map((w) => ({ name: w.name, days: w.days, start: w.start, end: w.end, timezone: w.timezone })),
    escalation: system.escalation.map(escalationToEntry),
  };
  if (ownerSlug !== null) entry.owner = ownerSlug;
  const sla = slaToFile(system.slaOverrides);
  if (Object.keys(sla).length > 0) entry.sla = sla;
  return entry;
}

function escalationToEntry(level: EscalationLevel): SystemFileEntry["escalation"][number] {
  const out: SystemFileEntry["escalation"][number] = { level: level.level, team: level.team };
  if (level.region !== null) out.region = level.region;
  if (level.timezone !== null) out.timezone = level.timezone;
  if (level.hours !== null) out.hours = level.hours;
  if (level.contact !== null) out.contact = level.contact;
  return out;
}

/** System columns from a validated entry, except the slug (the key) and the owner (a team id to resolve). */
export function systemColumnsFromEntry(entry: SystemFileEntry) {
  return {
    name: entry.name,
    description: entry.description.trim(),
    tier: entry.tier,
    lifecycle: entry.lifecycle,
    slaOverrides: slaFromFile(entry.sla ?? {}),
    criticalWindows: entry.critical_windows,
    escalation: entry.escalation.map(
      (level): EscalationLevel => ({
        level: level.level,
        team: level.team,
        region: level.region ?? null,
        timezone: level.timezone ?? null,
        hours: level.hours ?? null,
        contact: level.contact ?? null,
      }),
    ),
  };
}
