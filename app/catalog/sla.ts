import type { Sla, SlaFigures } from "../../db/schema/catalog";

/**
 * The SLA that applies to a system: its tier's defaults with the system's overrides on top
 * (shared/domain.md, "SLA defaults by tier (overridable per system)"). Returns null when the tier
 * has no defaults and the overrides are incomplete.
 */
export function effectiveSla(tierDefaults: Sla | undefined, overrides: Partial<SlaFigures>): SlaFigures | null {
  if (!tierDefaults) return null;
  return {
    availability: overrides.availability ?? tierDefaults.availability,
    rtoMinutes: overrides.rtoMinutes ?? tierDefaults.rtoMinutes,
    rpoMinutes: overrides.rpoMinutes ?? tierDefaults.rpoMinutes,
    drillIntervalDays: overrides.drillIntervalDays !== undefined ? overrides.drillIntervalDays : tierDefaults.drillIntervalDays,
    inspectionIntervalDays: overrides.inspectionIntervalDays ?? tierDefaults.inspectionIntervalDays,
    planReviewIntervalDays: overrides.planReviewIntervalDays ?? tierDefaults.planReviewIntervalDays,
    responseMinutes: { ...tierDefaults.responseMinutes, ...overrides.responseMinutes },
  };
}

/** Which SLA figures a system overrides (keys of SlaFigures). */
export function overriddenKeys(overrides: Partial<SlaFigures>): Array<keyof SlaFigures> {
  return Object.keys(overrides) as Array<keyof SlaFigures>;
}

/** Monthly downtime allowed by an availability target, in minutes (30-day month). */
export function monthlyDowntimeBudgetMinutes(availability: number): number {
  return (1 - availability) * 30 * 24 * 60;
}
