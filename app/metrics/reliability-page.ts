/**
 * What the /reliability page component needs from the reliability page module and is safe in the
 * browser bundle: its query-string values, the ratio keys and their labels.
 */

/** The filters as typed, for re-showing them in the form (blank when absent). */
export interface ReliabilityFormValues {
  from: string;
  to: string;
  preset: string;
  team: string;
  tier: string;
  system: string;
}

/** The query string of a parsed query, for CSV links and presets (only the parameters given). */
export function queryString(values: ReliabilityFormValues, overrides: Partial<ReliabilityFormValues> = {}): string {
  const merged = { ...values, ...overrides };
  return new URLSearchParams(Object.entries(merged).filter(([, v]) => v !== "")).toString();
}

export const RATIO_KEYS = ["responseWithinSla", "recurrenceRate", "actionClosure", "resolutionEffectiveness"] as const;
export const RATIO_LABELS: Record<(typeof RATIO_KEYS)[number], string> = {
  responseWithinSla: "Response within SLA",
  recurrenceRate: "Recurrence rate",
  actionClosure: "Corrective-action closure on time",
  resolutionEffectiveness: "Resolution effectiveness",
};
