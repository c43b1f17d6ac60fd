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
