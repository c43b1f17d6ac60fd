import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import type { Database } from "../../db/client";
import { apiTokens, users, type Role, type TokenScope } from "../../db/schema/auth";
import { getRuntime } from "../lib/runtime.server";
import { SESSION_COOKIE, type AppLucia } from "./lucia.server";

/** Who is making a request. */
export interface Viewer {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** How they proved it: a browser session cookie or an API token. */
  via: "session" | "token";
  /** For tokens, what the token may do; sessions may do whatever the role allows. */
  scope: TokenScope | "session";
  sessionId: string | null;
}

const ROLE_RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2 };

/** True when `role` is at least `needed` (viewer < editor < admin). */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[needed];
}

/** Load context passed by scripts/server.ts to every loader and action. */
export interface AppLoadContext {
  /** The client's address as the server saw it (X-Forwarded-For only with TRUST_PROXY). */
  clientIp?: string;
}

/** The client address for audit and rate limiting, or null when unknown. */
export function clientIp(context: unknown): string | null {
  const ip = (context as AppLoadContext | undefined)?.clientIp;
  return ip ? ip.replace(/^::ffff:/, "") : null;
}

const cache = new WeakMap<Request, Promise<Viewer | null>>();

/**
 * The signed-in person (session cookie) or token holder (`Authorization: Bearer`), or null.
 * Disabled users and revoked tokens count as nobody. Memoised per Request.
 */
export function getViewer(request: Request): Promise<Viewer | null> {
  let viewer = cache.get(request);
  if (!viewer) {
    viewer = resolveViewer(request);
    cache.set(request, viewer);
  }
  return viewer;
}

async function resolveViewer(request: Request): Promise<Viewer | null> {
  const { db, lucia } = await getRuntime();
  const authorization = request.headers.get("authorization");
  if (authorization?.startsWith("Bearer ")) return viewerFromToken(db, authorization.slice(7).trim());
  const sessionId = readSessionId(lucia, request);
  if (!sessionId) return null;
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session || !user || user.disabledAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, via: "session", scope: "session", sessionId: session.id };
}

function readSessionId(lucia: AppLucia, request: Request): string | null {
  return lucia.readSessionCookie(request.headers.get("cookie") ?? "");
}

/** sha256 hex of an API token; only this is stored. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** A new random API token (`dbk_` + 40 base64url characters). Shown once, never stored in clear. */
export function generateToken(): string {
  return `dbk_${randomBytes(30).toString("base64url")}`;
}

async function viewerFromToken(db: Database, token: string): Promise<Viewer | null> {
  if (!/^dbk_[A-Za-z0-9_-]{20,}$/.test(token)) return null;
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), isNull(users.disabledAt)));
  if (!row) return null;
  const now = new Date();
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
  }
  const { user } = row;
  return { id: user.id, email: user.email, name: user.name, role: user.role, via: "token", scope: row.token.scope, sessionId: null };
}

function isApiRequest(request: Request): boolean {
  const path = new URL(request.url).pathname;
  return path.startsWith("/api/") || path === "/healthz";
}

function unauthenticated(request: Request): Response {
  if (isApiRequest(request)) {
    return Response.json(
      { error: "Sign in or send an API token: Authorization: Bearer <token>" },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="drillbook"' } },
    );
  }
  const url = new URL(request.url);
  const redirectTo = `${url.pathname}${url.search}`;
  return new Response(null, { status: 302, headers: { location: `/login?redirectTo=${encodeURIComponent(redirectTo)}` } });
}

function forbidden(request: Request, message: string): Response {
  if (isApiRequest(request)) return Response.json({ error: message }, { status: 403 });
  return new Response(message, { status: 403, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/**
 * Guard for reading. Returns the viewer, or null for an anonymous reader when ANONYMOUS_READ=true.
 * @throws a 302 to /login (pages) or a 401 JSON (API) for anonymous requests otherwise.
 */
export async function requireReader(request: Request): Promise<Viewer | null> {
  const viewer = await getViewer(request);
  if (viewer) return viewer;
  const { env } = await getRuntime();
  if (env.anonymousRead) return null;
  throw unauthenticated(request);
}

/**
 * Guard for changing anything: the viewer must have at least `role`, a token must have the `write`
 * scope, and a browser request must come from this site (Origin check against CSRF).
 * @throws 401/302 when not signed in, 403 when the role, scope or origin is wrong.
 */
export async function requireRole(request: Request, role: Role): Promise<Viewer> {
  const viewer = await getViewer(request);
  if (!viewer) throw unauthenticated(request);
  const changes = !["GET", "HEAD", "OPTIONS"].includes(request.method.toUpperCase());
  if (changes && viewer.via === "session") assertSameOrigin(request);
  if (changes && viewer.via === "token" && viewer.scope !== "write") {
    throw forbidden(request, "This API token has the read scope; create one with the write scope to make changes.");
  }
  if (!roleAtLeast(viewer.role, role)) {
    throw forbidden(request, `This needs the ${role} role; you are signed in as ${viewer.role}. Ask an admin.`);
  }
  return viewer;
}

/**
 * CSRF defence for cookie-authenticated writes: the Origin header (or, failing that, Referer) must
 * name this server. Browsers send Origin on every POST.
 * @throws a 403 Response otherwise.
 */
export function assertSameOrigin(request: Request): void {
  const url = new URL(request.url);
  const expected = new Set([url.origin]);
  const forwardedHost = request.headers.get("x-forwarded-host");
  const forwardedProto = request.headers.get("x-forwarded-proto");
  if (forwardedHost) expected.add(`${forwardedProto ?? url.protocol.replace(":", "")}://${forwardedHost}`);
  const origin = request.headers.get("origin") ?? originOf(request.headers.get("referer"));
  if (!origin || !expected.has(origin)) {
    throw forbidden(request, "Cross-site request refused: the Origin header does not match this site.");
  }
}

function originOf(referer: string | null): string | null {
  if (!referer) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}

/** True when the request reached us over HTTPS (directly or via a proxy that says so). */
export function isSecureRequest(request: Request): boolean {
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

/** A Set-Cookie value for `sessionId` (or a blank, expired one when null), `Secure` behind HTTPS. */
export async function sessionCookieHeader(request: Request, sessionId: string | null): Promise<string> {
  const { lucia } = await getRuntime();
  const cookie = sessionId ? lucia.createSessionCookie(sessionId) : lucia.createBlankSessionCookie();
  cookie.attributes.secure = isSecureRequest(request);
  cookie.attributes.httpOnly = true;
  return cookie.serialize();
}

/**
 * Sliding expiry for scripts/server.ts: when the request's session was just extended, returns the
 * Set-Cookie value that carries the new expiry; when the cookie names no valid session, one that
 * clears it; otherwise null.
 */
export async function refreshedSessionCookie(request: Request): Promise<string | null> {
  const { lucia } = await getRuntime();
  const sessionId = readSessionId(lucia, request);
  if (!sessionId) return null;
  const { session } = await lucia.validateSession(sessionId);
  if (!session) return sessionCookieHeader(request, null);
  return session.fresh ? sessionCookieHeader(request, session.id) : null;
}

export { SESSION_COOKIE };
