import { sql, type InferSelectModel } from "drizzle-orm";
import { check, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { systems } from "./catalog";
import { documents } from "./documents";
import {
  DRILL_OUTCOMES,
  DRILL_TYPES,
  INSPECTION_RESULTS,
  RECORD_ORIGINS,
  type InspectionResult,
} from "./enums";

export { DRILL_OUTCOMES, DRILL_TYPES, INSPECTION_RESULTS, RECORD_ORIGINS };

/**
 * "Mark reviewed" attestations of a contingency plan: who confirmed, when, which revision they read,
 * and why. The plan text does not change. Rows are only ever inserted.
 */
export const planReviews = pgTable(
  "plan_reviews",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    documentId: uuid("document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    /** The revision number the reviewer attested. */
    revision: integer("revision").notNull(),
    reviewedAt: timestamp("reviewed_at", { withTimezone: true }).notNull().defaultNow(),
    /** Display name (or `importer`). */
    reviewer: text("reviewer").notNull(),
    reviewerUserId: text("reviewer_user_id"),
    comment: text("comment").notNull().default(""),
  },
  (t) => [index("plan_reviews_document_idx").on(t.documentId, t.reviewedAt)],
);
export type PlanReview = InferSelectModel<typeof planReviews>;

/** A recorded exercise of a contingency plan (shared/domain.md, "drill"). */
export const drills = pgTable(
  "drills",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    planDocumentId: uuid("plan_document_id")
      .notNull()
      .references(() => documents.id, { onDelete: "cascade" }),
    /** The plan revision exercised. */
    planRevision: integer("plan_revision").notNull(),
    scenario: text("scenario").notNull(),
    /** When the drill took place (UTC; a date-only entry is stored as midnight UTC). */
    heldAt: timestamp("held_at", { withTimezone: true }).notNull(),
    type: text("type", { enum: DRILL_TYPES }).notNull(),
    outcome: text("outcome", { enum: DRILL_OUTCOMES }).notNull(),
    /** Achieved recovery time in minutes; null for a tabletop exercise that did not measure one. */
    recoveryMinutes: integer("recovery_minutes"),
    participants: jsonb("participants").$type<string[]>().notNull().default([]),
    findings: jsonb("findings").$type<string[]>().notNull().default([]),
    notes: text("notes").notNull().default(""),
    origin: text("origin", { enum: RECORD_ORIGINS }).notNull(),
    /** Caller-supplied key (file path + index, API idempotency key), so a re-import or retry updates nothing twice. */
    externalKey: text("external_key").unique(),
    recordedBy: text("recorded_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("drills_plan_idx").on(t.planDocumentId, t.heldAt),
    check("drills_recovery_nonnegative", sql`${t.recoveryMinutes} IS NULL OR ${t.recoveryMinutes} >= 0`),
  ],
);
export type Drill = InferSelectModel<typeof drills>;

/** One line of an inspection checklist, with its own result. */
export interface ChecklistItem {
  item: string;
  result: InspectionResult;
  note: string;
}

/** A routine check of a system (shared/domain.md, "inspection", 巡检). */
export const inspections = pgTable(
  "inspections",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    systemId: integer("system_id")
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    inspectedAt: timestamp("inspected_at", { withTimezone: true }).notNull(),
    inspector: text("inspector").notNull(),
    result: text("result", { enum: INSPECTION_RESULTS }).notNull(),
    checklist: jsonb("checklist").$type<ChecklistItem[]>().notNull().default([]),
    findings: jsonb("findings").$type<string[]>().notNull().default([]),
    notes: text("notes").notNull().default(""),
    origin: text("origin", { enum: RECORD_ORIGINS }).notNull(),
    externalKey: text("external_key").unique(),
    recordedBy: text("recorded_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("inspections_system_idx").on(t.systemId, t.inspectedAt)],
);
export type Inspection = InferSelectModel<typeof inspections>;

