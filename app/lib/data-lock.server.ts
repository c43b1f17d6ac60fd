import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import lockfile from "proper-lockfile";

/**
 * PGlite allows one process per data directory. Every process that opens a PGlite data directory
 * first takes this lock; the holder describes itself in `holder.json` beside it so that others can
 * tell a running server (hand the work to it) from another command (refuse with a message).
 */
export interface LockHolder {
  kind: "server" | "command";
  pid: number;
  /** What the holder is doing, e.g. "server" or "import". */
  description: string;
  /** Loopback port of a running server. */
  port?: number;
  /** Bearer token a command uses to hand its work to the running server. */
  token?: string;
  startedAt: string;
}

export interface DataLock {
  release(): Promise<void>;
}

/** The data directory is in use by another process; `holder` says which, when known. */
export class DataDirBusyError extends Error {
  override name = "DataDirBusyError";
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    super(
      holder
        ? `The data directory ${dataDir} is in use by ${holder.kind === "server" ? "the Drillbook server" : `another command (${holder.description})`} (pid ${holder.pid}).`
        : `The data directory ${dataDir} is in use by another Drillbook process.`,
    );
  }
}

const LOCK_NAME = "drillbook.lock";
const HOLDER_FILE = "holder.json";
/** A lock not refreshed for this long belongs to a process that died; it is taken over. */
const STALE_MS = 10_000;

/**
 * Takes the data directory's process lock (creating the directory if needed) and records `holder`.
 * The lock is refreshed in the background and released by `release()` or when the process exits.
 * @throws DataDirBusyError when another live process holds it.
 */
export async function acquireDataLock(dataDir: string, holder: Omit<LockHolder, "pid" | "startedAt">): Promise<DataLock> {
  await mkdir(dataDir, { recursive: true });
  let releaseLock: () => Promise<void>;
  try {
    releaseLock = await lockfile.lock(dataDir, {
      lockfilePath: path.join(dataDir, LOCK_NAME),
      stale: STALE_MS,
      update: STALE_MS / 4,
      retries: 0,
      realpath: false,
      onCompromised: (error) => {
        console.error(`[drillbook] lost the lock on ${dataDir}: ${error.message}. Stopping to protect the database.`);
        process.exit(70);
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new DataDirBusyError(dataDir, await readLockHolder(dataDir));
    }
    throw error;
  }
  const info: LockHolder = { ...holder, pid: process.pid, startedAt: new Date().toISOString() };
  await writeFile(path.join(dataDir, HOLDER_FILE), JSON.stringify(info, null, 2), { mode: 0o600 });
  let released = false;
  return {
    async release() {
      if (released) return;
      released = true;
      await rm(path.join(dataDir, HOLDER_FILE), { force: true });
      await releaseLock();
    },
  };
}

/** Who holds the data directory, from `holder.json`; null when nobody or unknown. */
export async function readLockHolder(dataDir: string): Promise<LockHolder | null> {
  try {
    return JSON.parse(await readFile(path.join(dataDir, HOLDER_FILE), "utf8")) as LockHolder;
  } catch {
    return null;
  }
}
