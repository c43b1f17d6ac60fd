import { relations, type InferSelectModel } from "drizzle-orm";
import {
  check,
  doublePrecision,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";

/** Severity levels, SEV1 most severe (shared/domain.md, "incident"). */
export type Severity = "SEV1" | "SEV2" | "SEV3" | "SEV4";

/** Per-severity response target in minutes. */
export type ResponseTargets = Record<Severity, number>;

/** Any subset of the SLA figures, used for per-system overrides of the tier defaults. */
export interface SlaFigures {
  availability: number;
  rtoMinutes: number;
  rpoMinutes: number;
  drillIntervalDays: number | null;
  inspectionIntervalDays: number;
  planReviewIntervalDays: number;
  responseMinutes: ResponseTargets;
}

export const CRITICAL_WINDOW_DAYS = [
  "daily",
  "business_days",
  "weekends",
  "month_end",
  "quarter_end",
  "year_end",
] as const;

/** A recurring period in which an outage costs most (shared/domain.md, "critical time window"). */
export interface CriticalWindow {
  name: string;
  days: (typeof CRITICAL_WINDOW_DAYS)[number];
  /** Local wall-clock time "HH:MM" in `timezone`. */
  start: string;
  end: string;
  /** IANA time zone, e.g. Asia/Shanghai. */
  timezone: string;
}

export const ESCALATION_LEVELS = ["L1", "L2", "L3", "vendor"] as const;

/** One level of a system's escalation matrix (shared/domain.md, "escalation matrix"). */
export interface EscalationLevel {
  level: (typeof ESCALATION_LEVELS)[number];
  /** Team slug, or a vendor's name for level `vendor`. */
  team: string;
  region: string | null;
  timezone: string | null;
  hours: string | null;
  contact: string | null;
}

export const teams = pgTable("teams", {
  id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  region: text("region"),
  timezone: text("timezone"),
  channel: text("channel"),
  email: text("email"),
  description: text("description"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
export type Team = InferSelectModel<typeof teams>;

/** SLA defaults per tier (shared/domain.md, "SLA defaults by tier"). */
export const slas = pgTable(
  "slas",
  {
    tier: integer("tier").primaryKey(),
    /** Availability target as a fraction, e.g. 0.9995. */
    availability: doublePrecision("availability").notNull(),
    rtoMinutes: integer("rto_minutes").notNull(),
    rpoMinutes: integer("rpo_minutes").notNull(),
    /** Null: no drill required (tier 4). */
    drillIntervalDays: integer("drill_interval_days"),
    inspectionIntervalDays: integer("inspection_interval_days").notNull(),
    planReviewIntervalDays: integer("plan_review_interval_days").notNull(),
    responseMinutes: jsonb("response_minutes").$type<ResponseTargets>().notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("slas_tier_range", sql`${t.tier} between 1 and 4`)],
);
export type Sla = InferSelectModel<typeof slas>;

export const systems = pgTable(
  "systems",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    tier: integer("tier").notNull(),
    lifecycle: text("lifecycle", { enum: ["active", "retired"] }).notNull().default("active"),
    ownerTeamId: integer("owner_team_id").references(() => teams.id),
    slaOverrides: jsonb("sla_overrides").$type<Partial<SlaFigures>>().notNull().default({}),
    criticalWindows: jsonb("critical_windows").$type<CriticalWindow[]>().notNull().default([]),
    escalation: jsonb("escalation").$type<EscalationLevel[]>().notNull().default([]),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check("systems_tier_range", sql`${t.tier} between 1 and 4`)],
);
export type System = InferSelectModel<typeof systems>;

/** `systemId` depends on `dependsOnId` (an outage of the latter can take down the former). */
export const systemDependencies = pgTable(
  "system_dependencies",
  {
    systemId: integer("system_id")
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
    dependsOnId: integer("depends_on_id")
      .notNull()
      .references(() => systems.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.systemId, t.dependsOnId] })],
);

export const teamsRelations = relations(teams, ({ many }) => ({ systems: many(systems) }));
export const systemsRelations = relations(systems, ({ one }) => ({
  owner: one(teams, { fields: [systems.ownerTeamId], references: [teams.id] }),
}));
