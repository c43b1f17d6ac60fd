import { openDatabase } from "../db/client";
import { runCommand, type CommandName } from "../app/lib/commands.server";
import { acquireDataLock, DataDirBusyError } from "../app/lib/data-lock.server";
import { ConfigError, loadEnv } from "../app/lib/env.server";
import { createMeilisearchEngine } from "../app/search/meilisearch.server";
import { drainOutbox } from "../app/search/outbox.server";

/**
 * Runs a database command from the command line, safely beside a running server:
 * - PostgreSQL (DATABASE_URL): runs here; the server's outbox worker picks up search changes.
 * - PGlite, data directory free: takes its lock, runs here, releases it.
 * - PGlite, held by the server: hands the command to the server over loopback HTTP and prints
 *   its output, so the two processes never open the same data directory.
 * - PGlite, held by another command: refuses at once and says what to do.
 * Exits the process with the command's exit code.
 */
export async function runCli(name: CommandName, args: unknown): Promise<never> {
  let env;
  try {
    env = loadEnv();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const log = (line: string) => console.log(line);

  if (!env.databaseUrl) {
    let lock;
    try {
      lock = await acquireDataLock(env.dataDir, { kind: "command", description: name });
    } catch (error) {
      if (!(error instanceof DataDirBusyError)) throw error;
      const holder = error.holder;
      if (holder?.kind === "server" && holder.port && holder.token) {
        console.log(`The Drillbook server (pid ${holder.pid}) is running on this data directory; handing "${name}" to it.`);
        process.exit(await handOver(holder.port, holder.token, name, args));
      }
      console.error(
        `${error.message}\nPGlite allows one process per data directory. Wait for it to finish (or stop it) and run this command again.`,
      );
      process.exit(3);
    }
    try {
      process.exit(await runHere(name, args, env, log));
    } finally {
      await lock.release();
    }
  }
  process.exit(await runHere(name, args, env, log));
}

async function runHere(name: CommandName, args: unknown, env: ReturnType<typeof loadEnv>, log: (l: string) => void): Promise<number> {
  const handle = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.databaseUrl ? undefined : env.dataDir });
  try {
    const search = env.meili
      ? createMeilisearchEngine({ url: env.meili.url, apiKey: env.meili.apiKey, indexUid: env.meili.index })
      : null;
    if (search) await search.init();
    return await runCommand(name, args, {
      db: handle.db,
      search,
      applyOutbox: search
        ? async () => {
            const result = await drainOutbox(handle.db, search);
            if (result.failed > 0) throw new Error(`Meilisearch did not take ${result.failed} change(s); they stay queued`);
          }
        : undefined,
      log,
    });
  } finally {
    await handle.close();
  }
}

async function handOver(port: number, token: string, name: CommandName, args: unknown): Promise<number> {
  let response: Response;
  try {
    response = await fetch(`http://127.0.0.1:${port}/internal/commands/${name}`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify(args),
    });
  } catch (error) {
    console.error(`Could not reach the server on port ${port} (${(error as Error).message}). Is it still starting? Try again in a moment.`);
    return 3;
  }
  if (!response.ok || !response.body) {
    console.error(`The server refused the command: HTTP ${response.status} ${await response.text()}`);
    return 3;
  }
  let exitCode = 1;
  const decoder = new TextDecoder();
  let buffer = "";
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let newline;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const exit = /^\u0000exit (\d+)$/.exec(line);
      if (exit) exitCode = Number(exit[1]);
      else console.log(line);
    }
  }
  return exitCode;
}
