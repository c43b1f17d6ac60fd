import { z } from "zod";
import type { Database } from "../../db/client";
import { AccountError, CLI_ACTOR, createApiToken, createUser, resetPassword } from "./users.server";

/**
 * Arguments of the `npm run user -- <subcommand>` commands, registered in app/lib/commands.server.ts.
 * The CLI (scripts/user.ts) prompts for a missing password before it runs or hands over the
 * command, so a password is always given here. Field-level checks (e-mail form, role, password
 * length) are users.server.ts's, with its messages.
 */
export const userCommandArgs = {
  "user-create": z.object({
    email: z.string({ error: "give --email <address>" }),
    role: z.string({ error: "give --role viewer|editor|admin" }),
    name: z.string().optional(),
    password: z.string({ error: "give --password <password> or run in a terminal to be asked" }),
  }),
  "user-reset-password": z.object({
    email: z.string({ error: "give --email <address>" }),
    password: z.string({ error: "give --password <password> or run in a terminal to be asked" }),
  }),
  "user-token": z.object({
    email: z.string({ error: "give --email <address>" }),
    scope: z.string({ error: "give --scope read|write" }),
    name: z.string().optional(),
  }),
};
export type UserCommandName = keyof typeof userCommandArgs;

/** True when `name` is one of the user commands. */
export function isUserCommand(name: string): name is UserCommandName {
  return Object.hasOwn(userCommandArgs, name);
}

/**
 * Runs a parsed user command, audited with actor `system` (via `cli`). Returns the exit code:
 * 0 done, 1 refused (the reason is logged). `onUserCreated` runs after an account is created
 * (the server retires its first-admin setup link).
 * @throws only on unexpected (database) errors.
 */
export async function runUserCommand(
  name: UserCommandName,
  args: Record<string, unknown>,
  ctx: { db: Database; log: (line: string) => void; onUserCreated?: () => void },
): Promise<number> {
  try {
    if (name === "user-create") {
      const user = await createUser(ctx.db, { email: args.email, role: args.role, name: args.name, password: args.password }, CLI_ACTOR);
      ctx.onUserCreated?.();
      ctx.log(`Created ${user.role} ${user.email} (${user.name}). They can sign in at /login now.`);
    } else if (name === "user-reset-password") {
      const { sessionsEnded } = await resetPassword(ctx.db, { email: args.email, password: args.password }, CLI_ACTOR);
      ctx.log(`Password of ${String(args.email).trim().toLowerCase()} changed; ${sessionsEnded} session(s) ended, so every browser signs in again.`);
    } else {
      const { token, summary } = await createApiToken(
        ctx.db,
        { email: args.email, scope: args.scope, name: args.name ?? `cli ${new Date().toISOString().slice(0, 10)}` },
        CLI_ACTOR,
      );
      ctx.log(`API token "${summary.name}" (${summary.scope} scope) for ${String(args.email).trim().toLowerCase()}:`);
      ctx.log("");
      ctx.log(`  ${token}`);
      ctx.log("");
      ctx.log("It is shown only this once: store it now. Send it as: Authorization: Bearer <token>");
    }
    return 0;
  } catch (error) {
    if (error instanceof AccountError) {
      ctx.log(`error: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
