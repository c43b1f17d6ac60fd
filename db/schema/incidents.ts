import { sql, type InferSelectModel } from "drizzle-orm";
import {
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
  type AnyPgColumn,
} from "drizzle-orm/pg-core";
import { systems } from "./catalog";
import { drills, inspections } from "./continuity";
import { documents } from "./documents";
import {
  ACTION_STATUSES,
  DETECTION_SOURCES,
  INCIDENT_STATUSES,
  RECORD_ORIGINS,
  ROOT_CAUSE_CATEGORIES,
  SEVERITY_LEVELS,
} from "./enums";

export { ACTION_STATUSES, DETECTION_SOURCES, INCIDENT_STATUSES, ROOT_CAUSE_CATEGORIES, SEVERITY_LEVELS };

/** The incident timestamps, in their life-cycle order. */
export const INCIDENT_TIMESTAMPS = ["startedAt", "detectedAt", "acknowledgedAt", "mitigatedAt", "resolvedAt"] as const;
export type IncidentTimestamp = (typeof INCIDENT_TIMESTAMPS)[number];

/**
 * Where a timestamp came from when it was not typed in: e.g. the postmortem timeline row it was
 * parsed from and the time zone applied ("row 4: | 14:05 | DB failover started |, CET").
 */
export type TimestampSources = Partial<Record<IncidentTimestamp, string>>;

/** An unplanned interruption (shared/domain.md, "incident"). Timestamps are UTC instants. */
export const incidents = pgTable(
  "incidents",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** Human reference, shown as INC-<number>. */
    number: integer("number").notNull().unique().generatedAlwaysAsIdentity(),
    title: text("title").notNull(),
    severity: text("severity", { enum: SEVERITY_LEVELS }).notNull(),
    status: text("status", { enum: INCIDENT_STATUSES }).notNull().default("open"),
    summary: text("summary").notNull().default(""),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    detectedAt: timestamp("detected_at", { withTimezone: true }),
    acknowledgedAt: timestamp("acknowledged_at", { withTimezone: true }),
    mitigatedAt: timestamp("mitigated_at", { withTimezone: true }),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    /** IANA zone the times were entered or stated in (display hint; storage is UTC). */
    timezone: text("timezone").notNull().default("UTC"),
    timestampSources: jsonb("timestamp_sources").$type<TimestampSources>().notNull().default({}),
    customerImpact: boolean("customer_impact").notNull().default(false),
    usersAffected: integer("users_affected"),
    failedTransactions: integer("failed_transactions"),
    /** Estimate, in `financialImpactCurrency` (ISO 4217). numeric comes back as a string. */
    financialImpact: numeric("financial_impact", { precision: 16, scale: 2 }),
    financialImpactCurrency: text("financial_impact_currency"),
    detectionSource: text("detection_source", { enum: DETECTION_SOURCES }),
    rootCauseCategory: text("root_cause_category", { enum: ROOT_CAUSE_CATEGORIES }).notNull().default("unknown"),
    recurrenceOfId: uuid("recurrence_of_id").references((): AnyPgColumn => incidents.id, { onDelete: "set null" }),
    postmortemDocumentId: uuid("postmortem_document_id").references(() => documents.id, { onDelete: "set null" }),
    origin: text("origin", { enum: RECORD_ORIGINS }).notNull(),
    /** Alertmanager group key, import file path or API idempotency key. */
    externalKey: text("external_key").unique(),
    /** Optimistic-concurrency counter: an edit based on an older version is refused. */
    version: integer("version").notNull().default(1),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("incidents_started_idx").on(t.startedAt),
    index("incidents_postmortem_idx").on(t.postmortemDocumentId),
    check(
      "incidents_timestamps_ordered",
      sql`(${t.detectedAt} IS NULL OR ${t.detectedAt} >= ${t.startedAt})
        AND (${t.acknowledgedAt} IS NULL OR ${t.acknowledgedAt} >= ${t.startedAt})
        AND (${t.mitigatedAt} IS NULL OR ${t.mitigatedAt} >= ${t.startedAt})
        AND (${t.resolvedAt} IS NULL OR ${t.resolvedAt} >= ${t.startedAt})`,
    ),
  ],
);
export type Incident = InferSelectModel<typeof incidents>;

export const incidentSystems = pgTable(
  "incident_systems",
  {
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    systemId: integer("system_id")
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.systemId] }), index("incident_systems_system_idx").on(t.systemId)],
);

/** Runbooks used during the incident. */
export const incidentRunbooks = pgTable(
  "incident_runbooks",
  {
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.incidentId, t.documentId] }), index("incident_runbooks_document_idx").on(t.documentId)],
);

/** Free timeline entries beside the five timestamps (alert fired, escalated, note...). */
export const incidentEvents = pgTable(
  "incident_events",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    incidentId: uuid("incident_id")
      .notNull()
      .references(() => incidents.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    text: text("text").notNull(),
    /** Provenance: `form`, `webhook`, or the postmortem table row it was parsed from. */
    source: text("source").notNull().default(""),
  },
  (t) => [index("incident_events_incident_idx").on(t.incidentId, t.at)],
);
export type IncidentEvent = InferSelectModel<typeof incidentEvents>;

/**
 * A corrective action (shared/domain.md, "corrective action"), from exactly one source: an incident,
 * a drill or an inspection.
 */
export const correctiveActions = pgTable(
  "corrective_actions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    title: text("title").notNull(),
    /** Person responsible (name or e-mail). */
    owner: text("owner").notNull(),
    /** Due day (no time). */
    dueDate: date("due_date", { mode: "string" }),
    status: text("status", { enum: ACTION_STATUSES }).notNull().default("open"),
    /** When it reached `done` or `wont_do`; cleared when re-opened. */
    closedAt: timestamp("closed_at", { withTimezone: true }),
    notes: text("notes").notNull().default(""),
    incidentId: uuid("incident_id").references(() => incidents.id, { onDelete: "cascade" }),
    drillId: uuid("drill_id").references(() => drills.id, { onDelete: "cascade" }),
    inspectionId: uuid("inspection_id").references(() => inspections.id, { onDelete: "cascade" }),
    version: integer("version").notNull().default(1),
    createdBy: text("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("corrective_actions_incident_idx").on(t.incidentId),
    index("corrective_actions_drill_idx").on(t.drillId),
    index("corrective_actions_inspection_idx").on(t.inspectionId),
    index("corrective_actions_due_idx").on(t.dueDate),
    index("corrective_actions_status_idx").on(t.status),
    check(
      "corrective_actions_one_source",
      sql`num_nonnulls(${t.incidentId}, ${t.drillId}, ${t.inspectionId}) = 1`,
    ),
    check(
      "corrective_actions_closed_at",
      sql`(${t.status} IN ('done', 'wont_do')) = (${t.closedAt} IS NOT NULL)`,
    ),
  ],
);
export type CorrectiveAction = InferSelectModel<typeof correctiveActions>;
