import { DrizzlePostgreSQLAdapter } from "@lucia-auth/adapter-drizzle";
import { Lucia, TimeSpan } from "lucia";
import type { Database } from "../../db/client";
import { sessions, users, type Role } from "../../db/schema/auth";

/**
 * lucia v3 is in maintenance mode, so it stays behind this file: the rest of the app uses
 * `app/auth/session.server.ts` and never imports lucia.
 */
export const SESSION_COOKIE = "drillbook_session";
/** Sessions last 30 days and slide: lucia extends one that is used in its second half. */
export const SESSION_DAYS = 30;

export function createLucia(db: Database) {
  return new Lucia(new DrizzlePostgreSQLAdapter(db, sessions, users), {
    sessionExpiresIn: new TimeSpan(SESSION_DAYS, "d"),
    sessionCookie: {
      name: SESSION_COOKIE,
      expires: true,
      // `Secure` is decided per request (behind HTTPS or not) in session.server.ts.
      attributes: { sameSite: "lax", secure: false, path: "/" },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role,
      disabledAt: attributes.disabled_at ?? attributes.disabledAt ?? null,
    }),
  });
}

export type AppLucia = ReturnType<typeof createLucia>;

declare module "lucia" {
  interface Register {
    Lucia: AppLucia;
    DatabaseUserAttributes: {
      email: string;
      name: string;
      role: Role;
      disabled_at?: Date | null;
      disabledAt?: Date | null;
    };
  }
}
