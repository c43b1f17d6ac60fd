import type { InferSelectModel } from "drizzle-orm";
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const ROLES = ["viewer", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];

export const users = pgTable("users", {
  /** Text id, as lucia expects. */
  id: text("id").primaryKey(),
  /** Lower-cased. */
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull().default("viewer"),
  /** argon2id PHC string; null for an account that cannot sign in with a password. */
  passwordHash: text("password_hash"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  disabledAt: timestamp("disabled_at", { withTimezone: true }),
});
export type User = InferSelectModel<typeof users>;

/** lucia sessions (id, user_id, expires_at are lucia's columns). */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true, mode: "date" }).notNull(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const TOKEN_SCOPES = ["read", "write"] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];

/** API tokens for integrations; only a sha256 of the secret is stored. */
export const apiTokens = pgTable(
  "api_tokens",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scope: text("scope", { enum: TOKEN_SCOPES }).notNull(),
    /** sha256 hex of the whole token. */
    tokenHash: text("token_hash").notNull().unique(),
    /** First characters of the token, shown in lists to tell tokens apart. */
    prefix: text("prefix").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
  },
  (t) => [index("api_tokens_user_idx").on(t.userId)],
);
export type ApiToken = InferSelectModel<typeof apiTokens>;

/**
 * Append-only record of every write and every sign-in. A database trigger (migration
 * 0002_audit_append_only) refuses UPDATE and DELETE, so no code path can change history.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /** Null for the system itself (importer, start-up). */
    actorUserId: text("actor_user_id"),
    /** E-mail of the user, or `importer`, `system`, `anonymous`, or the e-mail tried at a failed sign-in. */
    actor: text("actor").notNull(),
    /** Dotted verb, e.g. `document.update`, `auth.login.failure`, `system.update`. */
    action: text("action").notNull(),
    /** `document`, `user`, `team`, `system`, `sla`, `token`, `session`, `setting`. */
    targetType: text("target_type"),
    /** Slug, id or e-mail of the target. */
    target: text("target"),
    /** Revision number for document writes. */
    revision: integer("revision"),
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    /** Client address (X-Forwarded-For first hop when behind a proxy). */
    ip: text("ip"),
  },
  (t) => [
    index("audit_log_at_idx").on(t.at),
    index("audit_log_actor_idx").on(t.actor),
    index("audit_log_target_idx").on(t.targetType, t.target),
    index("audit_log_action_idx").on(t.action),
  ],
);
export type AuditEntry = InferSelectModel<typeof auditLog>;

