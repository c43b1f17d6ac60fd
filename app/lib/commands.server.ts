import { z } from "zod";
import type { Database } from "../../db/client";
import { isUserCommand, runUserCommand, userCommandArgs } from "../auth/user-commands.server";
import { DOCUMENT_KINDS } from "../../db/schema/documents";
import { ExportError, exportContent, formatExportSummary } from "../docs/export.server";
import { formatImportSummary, ImportError, importContent } from "../docs/import.server";
import { rebuildSearchIndex, requestReindex } from "../search/outbox.server";
import type { SearchEngine } from "../search/types";

/**
 * Command-line commands that write to the database. Each runs either in the command's own process
 * or, when a server holds the PGlite data directory, inside that server (handed over by
 * `scripts/cli.ts` through `POST /internal/commands/:name`), with the same arguments and output.
 */
export const commandArgs = {
  import: z.object({
    dir: z.string().min(1, "give the folder to import: npm run import -- <dir>"),
    kind: z.enum(DOCUMENT_KINDS, { error: `--kind must be one of ${DOCUMENT_KINDS.join(", ")}` }).optional(),
    system: z.string().min(1).optional(),
    skipInvalid: z.boolean().default(false),
    prefix: z.string().optional(),
  }),
  reindex: z.object({}),
  export: z.object({
    dir: z.string().min(1, "give the folder to write: npm run export -- <dir>"),
    force: z.boolean().default(false),
  }),
  /** npm run user -- create | reset-password | token (app/auth/user-commands.server.ts) */
  ...userCommandArgs,
};
export type CommandName = keyof typeof commandArgs;

export interface CommandContext {
  db: Database;
  /** The search engine when this process has one it can write to; null in a CLI with the embedded engine. */
  search: SearchEngine | null;
  /** Applies the search outbox now (server: the worker's kick). */
  applyOutbox?: () => Promise<void>;
  log: (line: string) => void;
  /** Called after an account is created (the server retires its first-admin setup link). */
  onUserCreated?: () => void;
}

/** True when `name` is a known command. */
export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commandArgs, name);
}

/**
 * Runs a command and returns its exit code (0 ok, 1 refused or failed). Output goes to `ctx.log`.
 * @throws only on unexpected errors (database unreachable and the like).
 */
export async function runCommand(name: CommandName, rawArgs: unknown, ctx: CommandContext): Promise<number> {
  const parsed = commandArgs[name].safeParse(rawArgs);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.log(`error: ${issue.message}`);
    return 1;
  }
  if (isUserCommand(name)) return runUserCommand(name, parsed.data as Record<string, unknown>, ctx);
  if (name === "export") {
    const args = parsed.data as z.infer<(typeof commandArgs)["export"]>;
    try {
      const summary = await exportContent(ctx.db, args.dir, ctx.log, { force: args.force });
      for (const line of formatExportSummary(summary)) ctx.log(line);
      return 0;
    } catch (error) {
      if (error instanceof ExportError) {
        ctx.log(`error: ${error.message}`);
        return 1;
      }
      throw error;
    }
  }
  if (name === "import") {
    const args = parsed.data as z.infer<(typeof commandArgs)["import"]>;
    try {
      const summary = await importContent(
        ctx.db,
        { root: args.dir, kind: args.kind, system: args.system, skipInvalid: args.skipInvalid, prefix: args.prefix },
        ctx.log,
      );
      for (const line of formatImportSummary(summary)) ctx.log(line);
      if (ctx.applyOutbox) {
        await ctx.applyOutbox();
        ctx.log("  search index updated");
      } else if (summary.created + summary.updated > 0) {
        ctx.log("  search index: the server indexes these changes when it runs (they wait in the outbox)");
      }
      return 0;
    } catch (error) {
      if (error instanceof ImportError) {
        ctx.log(error.message);
        return 1;
      }
      if ((error as NodeJS.ErrnoException).code === "ENOENT") {
        ctx.log(`error: no such folder: ${args.dir}`);
        return 1;
      }
      throw error;
    }
  }
  // reindex
  if (ctx.search) {
    const started = performance.now();
    const count = await rebuildSearchIndex(ctx.db, ctx.search);
    ctx.log(`Reindexed ${count} documents into the ${ctx.search.name} search engine in ${Math.round(performance.now() - started)} ms`);
  } else {
    await requestReindex(ctx.db);
    ctx.log("Reindex queued: the embedded search index lives in the server, which rebuilds it from the database now if it is running, and at every start.");
  }
  return 0;
}
