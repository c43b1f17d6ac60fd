import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { ROOT } from "../paths";

/** A free TCP port on loopback. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  output(): string;
  stop(): Promise<void>;
}

const TSX = path.join(ROOT, "node_modules/.bin/tsx");

/**
 * Starts the production server (`build/` must exist) on a free port with a fresh PGlite data
 * directory (demo content seeded), and waits until /healthz answers.
 */
export async function startServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const port = await freePort();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "drillbook-e2e-"));
  const { DATABASE_URL: _ignored, ...parentEnv } = process.env;
  const child = spawn(TSX, ["scripts/server.ts"], {
    cwd: ROOT,
    env: { ...parentEnv, NODE_ENV: "production", PORT: String(port), DATA_DIR: dataDir, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${output}`);
    try {
      const response = await fetch(`${url}/healthz`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start in 120 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return {
    url,
    port,
    dataDir,
    output: () => output,
    async stop() {
      await stopChild(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null) child.kill("SIGKILL");
}

/** Runs `tsx <script> ...args` from the repo root and collects its output and exit code. */
export function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const { DATABASE_URL: _ignored, ...parentEnv } = process.env;
    const child = spawn(TSX, [script, ...args], { cwd: ROOT, env: { ...parentEnv, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("exit", (code) => resolve({ code: code ?? 1, output }));
  });
}

/** Debian's Chromium, headless, with the flags this closed network needs. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/**
 * Creates an account on a running server through `npm run user` (handed to the server, as a person
 * would do it), a write-scope API token for it, and signs the browser context in through /login.
 * Returns the token.
 */
export async function signInWithToken(
  server: RunningServer,
  context: import("playwright-core").BrowserContext,
  account: { email: string; name: string; role: "viewer" | "editor" | "admin"; password: string },
): Promise<string> {
  const env = { DATA_DIR: server.dataDir };
  const created = await runScript("scripts/user.ts", ["create", "--email", account.email, "--name", account.name, "--role", account.role, "--password", account.password], env);
  if (created.code !== 0) throw new Error(`user create failed:\n${created.output}`);
  const token = await runScript("scripts/user.ts", ["token", "--email", account.email, "--scope", "write", "--name", "e2e"], env);
  const value = /dbk_[A-Za-z0-9_-]{40}/.exec(token.output)?.[0];
  if (token.code !== 0 || !value) throw new Error(`user token failed:\n${token.output}`);
  const page = await context.newPage();
  await page.goto(`${server.url}/login`);
  await page.locator("#login-email").fill(account.email);
  await page.locator("#login-password").fill(account.password);
  await page.locator('button[type="submit"]').click();
  await page.locator("header").getByText(account.name).waitFor();
  await page.close();
  return value;
}
