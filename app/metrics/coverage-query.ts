/**
 * The coverage dashboard's vocabulary and links, free of server code so the page component can use
 * them: metric and state labels, and the query string of the current filters.
 */
import type { CoverageState } from "./coverage";

/** The filters as typed, for showing them again in the form. */
export interface CoverageFormValues {
  asOf: string;
  team: string[];
  tier: string[];
  /** Comma-separated system slugs, as typed. */
  system: string;
  sort: string;
  dir: string;
}

export const METRIC_KEYS = ["plan", "drill", "inspection", "runbook"] as const;
export type MetricKey = (typeof METRIC_KEYS)[number];

export const METRIC_LABELS: Record<MetricKey, string> = {
  plan: "Contingency-plan coverage",
  drill: "Drill coverage",
  inspection: "Inspection coverage",
  runbook: "Runbook coverage",
};

/** What the denominator counts, per metric. */
export const METRIC_UNITS: Record<MetricKey, string> = {
  plan: "systems",
  drill: "contingency plans",
  inspection: "systems",
  runbook: "systems",
};

export const STATE_LABELS: Record<CoverageState, string> = {
  current: "Current",
  due_soon: "Due soon",
  overdue: "Overdue",
  missing: "Missing",
  not_required: "Not required",
};

/** The query string of the current filters (for links: CSV, print, sorting), without `sort`/`dir` unless asked. */
export function filterQuery(values: CoverageFormValues, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams();
  if (values.asOf) q.set("asOf", values.asOf);
  for (const t of values.team) q.append("team", t);
  for (const t of values.tier) q.append("tier", t);
  if (values.system) q.set("system", values.system.replace(/\s+/g, ""));
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  return q.toString();
}
