/**
 * Plain value lists of the schema, free of drizzle imports so that browser code (forms, badges)
 * can use them without bundling the database layer. The tables import them from here.
 */
export const DOCUMENT_KINDS = [
  "runbook",
  "contingency_plan",
  "postmortem",
  "inspection_report",
  "drill_report",
  "article",
] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export const DOCUMENT_STATUSES = ["draft", "published", "archived"] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** Drill types (shared/domain.md, "drill"). */
export const DRILL_TYPES = ["tabletop", "simulation", "live_failover"] as const;
export type DrillType = (typeof DRILL_TYPES)[number];

/** Drill outcomes; only `passed` and `partial` count for drill coverage (shared/domain.md, "Metrics" 2). */
export const DRILL_OUTCOMES = ["passed", "partial", "failed"] as const;
export type DrillOutcome = (typeof DRILL_OUTCOMES)[number];

/** Inspection results, for the whole inspection and for each checklist item. */
export const INSPECTION_RESULTS = ["ok", "warning", "failed"] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

/** Severity levels, SEV1 most severe (shared/domain.md, "incident"). */
export const SEVERITY_LEVELS = ["SEV1", "SEV2", "SEV3", "SEV4"] as const;

/** Incident life cycle: open until mitigated, resolved when service is fully back, closed after review. */
export const INCIDENT_STATUSES = ["open", "mitigated", "resolved", "closed"] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

/** How the incident came to the team's attention. */
export const DETECTION_SOURCES = ["monitoring", "customer", "staff"] as const;
export type DetectionSource = (typeof DETECTION_SOURCES)[number];

/** Root-cause categories (issue 5; recurrence matches on these, shared/domain.md "Metrics" 7). */
export const ROOT_CAUSE_CATEGORIES = [
  "change",
  "capacity",
  "hardware",
  "software_defect",
  "configuration",
  "dependency",
  "human_error",
  "security",
  "unknown",
] as const;
export type RootCauseCategory = (typeof ROOT_CAUSE_CATEGORIES)[number];

/** Corrective-action statuses (shared/domain.md, "corrective action"). */
export const ACTION_STATUSES = ["open", "in_progress", "done", "wont_do"] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** What a corrective action follows up on. */
export const ACTION_SOURCES = ["incident", "drill", "inspection"] as const;
export type ActionSource = (typeof ACTION_SOURCES)[number];

/** Where a drill, inspection or incident record came from. */
export const RECORD_ORIGINS = ["form", "api", "import", "webhook", "demo"] as const;
export type RecordOrigin = (typeof RECORD_ORIGINS)[number];
