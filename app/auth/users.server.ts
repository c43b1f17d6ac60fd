import { randomUUID } from "node:crypto";
import { and, count, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Database } from "../../db/client";
import { apiTokens, ROLES, sessions, TOKEN_SCOPES, users, type Role, type TokenScope } from "../../db/schema/auth";
import { recordAudit } from "../audit/audit.server";
import { hashPassword, MIN_PASSWORD_LENGTH } from "./password.server";
import { generateToken, hashToken } from "./session.server";

/** Who performs an account change, for the audit log. */
export interface Actor {
  /** Null for the command line or the system itself. */
  userId: string | null;
  /** E-mail of the user, or `system`. */
  label: string;
  ip?: string | null;
  /** How the change arrived, e.g. `cli`, `setup`, `web`; stored in the audit details. */
  via?: string;
}

/** The command line (`npm run user`), run by someone with access to the server. */
export const CLI_ACTOR: Actor = { userId: null, label: "system", via: "cli" };

/** An account change was refused; the message says what to fix and `field` names the form field. */
export class AccountError extends Error {
  override name = "AccountError";
  constructor(
    message: string,
    readonly field?: "email" | "name" | "role" | "password" | "scope" | "token",
    /** HTTP status that fits: 400 bad input, 404 unknown account or token, 409 already exists. */
    readonly status: 400 | 404 | 409 = 400,
  ) {
    super(message);
  }
}

/** Longest password accepted (argon2 hashes anything, but a megabyte form field is an attack). */
export const MAX_PASSWORD_LENGTH = 1024;

/** A user without the password hash. */
export interface UserSummary {
  id: string;
  email: string;
  name: string;
  role: Role;
  createdAt: Date;
  disabledAt: Date | null;
}

/** Lower-cased, trimmed e-mail. @throws AccountError (field `email`) when it is not an address. */
export function normaliseEmail(value: unknown): string {
  const email = typeof value === "string" ? value.trim().toLowerCase() : "";
  if (!email) throw new AccountError("Give an e-mail address, e.g. ana.kowalska@lhb.example", "email");
  if (email.length > 254 || !z.email().safeParse(email).success) {
    throw new AccountError(`"${String(value).slice(0, 80)}" is not an e-mail address; write it like ana.kowalska@lhb.example`, "email");
  }
  return email;
}

/** @throws AccountError (field `password`) when shorter than MIN_PASSWORD_LENGTH or longer than MAX_PASSWORD_LENGTH. */
export function checkPassword(password: unknown): string {
  if (typeof password !== "string" || password.length === 0) throw new AccountError("Give a password", "password");
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AccountError(`The password needs at least ${MIN_PASSWORD_LENGTH} characters (this one has ${password.length}).`, "password");
  }
  if (password.length > MAX_PASSWORD_LENGTH) throw new AccountError(`The password may have at most ${MAX_PASSWORD_LENGTH} characters.`, "password");
  return password;
}

function checkRole(role: unknown): Role {
  if (typeof role === "string" && (ROLES as readonly string[]).includes(role)) return role as Role;
  throw new AccountError(`The role must be one of ${ROLES.join(", ")} (got "${String(role ?? "")}").`, "role");
}

function summary(user: typeof users.$inferSelect): UserSummary {
  return { id: user.id, email: user.email, name: user.name, role: user.role, createdAt: user.createdAt, disabledAt: user.disabledAt };
}

function auditActor(actor: Actor) {
  return { actorUserId: actor.userId, actor: actor.label, ip: actor.ip ?? null };
}

function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: string; cause?: unknown } | undefined; e; e = e.cause as typeof e) {
    if (e.code === "23505") return true;
  }
  return false;
}

export interface CreateUserInput {
  email: unknown;
  role: unknown;
  /** Default: the part of the e-mail before "@". */
  name?: unknown;
  /** Null or absent: an account that cannot sign in with a password (yet). */
  password?: unknown;
}

/**
 * Named command `createUser`: validates, hashes the password (argon2id) and inserts the account,
 * auditing `user.create` (details: role and how; never the password) in the same transaction.
 * @returns the new user without its hash.
 * @throws AccountError: bad e-mail, role, name or password length (400), e-mail taken (409).
 */
export async function createUser(db: Database, input: CreateUserInput, actor: Actor): Promise<UserSummary> {
  const email = normaliseEmail(input.email);
  const role = checkRole(input.role);
  const rawName = typeof input.name === "string" ? input.name.trim() : "";
  const name = rawName || email.split("@")[0]!;
  if (name.length > 100) throw new AccountError("The name may have at most 100 characters.", "name");
  const password = input.password === undefined || input.password === null ? null : checkPassword(input.password);

  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (existing) throw new AccountError(`An account with the e-mail ${email} already exists.`, "email", 409);
  const passwordHash = password === null ? null : await hashPassword(password);
  try {
    return await db.transaction(async (tx) => {
      const [user] = await tx.insert(users).values({ id: randomUUID(), email, name, role, passwordHash }).returning();
      await recordAudit(tx, {
        ...auditActor(actor),
        action: "user.create",
        targetType: "user",
        target: email,
        details: { role, name, via: actor.via ?? "web", canSignIn: password !== null },
      });
      return summary(user!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AccountError(`An account with the e-mail ${email} already exists.`, "email", 409);
    throw error;
  }
}

/** Number of accounts (0 before the first admin is set up). */
export async function countUsers(db: Database): Promise<number> {
  const [row] = await db.select({ n: count() }).from(users);
  return Number(row?.n ?? 0);
}

/**
 * Named command `resetPassword`: sets a new password and ends every session of that user (all
 * browsers sign in again; API tokens stay), auditing `user.password.reset` in the same transaction.
 * @returns how many sessions were ended.
 * @throws AccountError: unknown e-mail (404), bad password length (400).
 */
export async function resetPassword(db: Database, input: { email: unknown; password: unknown }, actor: Actor): Promise<{ sessionsEnded: number }> {
  const email = normaliseEmail(input.email);
  const password = checkPassword(input.password);
  const [user] = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).limit(1);
  if (!user) throw new AccountError(`No account has the e-mail ${email}.`, "email", 404);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, user.id));
    const ended = await tx.delete(sessions).where(eq(sessions.userId, user.id)).returning({ id: sessions.id });
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "user.password.reset",
      targetType: "user",
      target: email,
      details: { sessionsEnded: ended.length, via: actor.via ?? "web" },
    });
    return { sessionsEnded: ended.length };
  });
}

/** An API token as listed to its owner: never the secret or its hash. */
export interface ApiTokenSummary {
  id: string;
  name: string;
  scope: TokenScope;
  /** First characters of the token (`dbk_` + 8), to tell tokens apart. */
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Characters of the token kept in clear as its prefix. */
export const TOKEN_PREFIX_LENGTH = 12;

/**
 * Named command `createApiToken`: a new random token for the account with `userId` (or `email`),
 * stored only as its sha256 (`hashToken`), auditing `token.create`.
 * @returns the token in clear — show it once, it cannot be recovered — and its summary.
 * @throws AccountError: unknown or disabled account (404/400), bad name or scope (400).
 */
export async function createApiToken(
  db: Database,
  input: { userId?: string; email?: unknown; name: unknown; scope: unknown },
  actor: Actor,
): Promise<{ token: string; summary: ApiTokenSummary }> {
  const name = typeof input.name === "string" ? input.name.trim() : "";
  if (!name) throw new AccountError("Give the token a name that says where it is used, e.g. alertmanager-prod", "name");
  if (name.length > 80) throw new AccountError("The token name may have at most 80 characters.", "name");
  if (typeof input.scope !== "string" || !(TOKEN_SCOPES as readonly string[]).includes(input.scope)) {
    throw new AccountError(`The scope must be one of ${TOKEN_SCOPES.join(", ")} (got "${String(input.scope ?? "")}").`, "scope");
  }
  const scope = input.scope as TokenScope;
  const where = input.userId ? eq(users.id, input.userId) : eq(users.email, normaliseEmail(input.email));
  const [owner] = await db.select().from(users).where(where).limit(1);
  if (!owner) throw new AccountError(`No account has the e-mail ${String(input.email ?? input.userId)}.`, "email", 404);
  if (owner.disabledAt) throw new AccountError(`The account ${owner.email} is disabled; enable it before giving it a token.`, "email");

  const token = generateToken();
  const prefix = token.slice(0, TOKEN_PREFIX_LENGTH);
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(apiTokens).values({ userId: owner.id, name, scope, tokenHash: hashToken(token), prefix }).returning();
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "token.create",
      targetType: "token",
      target: row!.id,
      details: { name, scope, prefix, owner: owner.email, via: actor.via ?? "web" },
    });
    return { token, summary: tokenSummary(row!) };
  });
}

function tokenSummary(row: typeof apiTokens.$inferSelect): ApiTokenSummary {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    revokedAt: row.revokedAt,
  };
}

/** The tokens of one user, newest first, revoked ones included (marked by `revokedAt`). */
export async function listApiTokens(db: Database, userId: string): Promise<ApiTokenSummary[]> {
  const rows = await db.select().from(apiTokens).where(eq(apiTokens.userId, userId)).orderBy(desc(apiTokens.createdAt));
  return rows.map(tokenSummary);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Named command `revokeApiToken`: marks a token revoked (it then authenticates nobody) and audits
 * `token.revoke`. With `ownerId`, only a token of that user is found (the settings page).
 * @returns false when the token was already revoked (nothing written).
 * @throws AccountError (404) when there is no such token (for that owner).
 */
export async function revokeApiToken(db: Database, input: { id: unknown; ownerId?: string }, actor: Actor): Promise<boolean> {
  const id = typeof input.id === "string" ? input.id : "";
  const notFound = new AccountError("There is no such API token. It may belong to someone else; reload the list.", "token", 404);
  if (!UUID.test(id)) throw notFound;
  const conditions = input.ownerId ? and(eq(apiTokens.id, id), eq(apiTokens.userId, input.ownerId)) : eq(apiTokens.id, id);
  const [token] = await db
    .select({ id: apiTokens.id, name: apiTokens.name, prefix: apiTokens.prefix, revokedAt: apiTokens.revokedAt, owner: users.email })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(conditions)
    .limit(1);
  if (!token) throw notFound;
  if (token.revokedAt) return false;
  return db.transaction(async (tx) => {
    const revoked = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date() })
      .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (revoked.length === 0) return false;
    await recordAudit(tx, {
      ...auditActor(actor),
      action: "token.revoke",
      targetType: "token",
      target: id,
      details: { name: token.name, prefix: token.prefix, owner: token.owner, via: actor.via ?? "web" },
    });
    return true;
  });
}
