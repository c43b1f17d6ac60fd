/**
 * The HTTP server: `npm start` (production build) or `npm run dev` (Vite dev server with HMR).
 * Boots the runtime (database, migrations, demo content on first start, search) before it
 * listens, and shuts down cleanly on SIGINT/SIGTERM, releasing the PGlite data-directory lock.
 */
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import express from "express";

type Boot = (options: { port?: number }) => Promise<{ close(): Promise<void> }>;
type RefreshCookie = (request: Request) => Promise<string | null>;

const production = process.env.NODE_ENV === "production";
const port = Number(process.env.PORT || 3000);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  console.error(`Invalid configuration:\n  PORT: must be a TCP port number, e.g. PORT=3000 (got "${process.env.PORT}")`);
  process.exit(2);
}

const vite = production
  ? undefined
  : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));

async function loadBuild(): Promise<ServerBuild> {
  if (vite) return (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  const buildPath = path.resolve("build/server/index.js");
  return (await import(buildPath)) as ServerBuild;
}

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY === "true") app.set("trust proxy", true);
if (vite) {
  app.use(vite.middlewares);
} else {
  app.use("/assets", express.static("build/client/assets", { immutable: true, maxAge: "1y" }));
  app.use(express.static("build/client", { maxAge: "1h" }));
}

const build = await loadBuild();
const boot = (build.entry.module as unknown as { boot: Boot }).boot;
let runtime: { close(): Promise<void> };
try {
  runtime = await boot({ port });
} catch (error) {
  const e = error as Error;
  console.error(e.name === "ConfigError" || e.name === "DataDirBusyError" ? e.message : e);
  if (e.name === "DataDirBusyError") {
    console.error("PGlite allows one process per data directory: stop the other process, or set DATA_DIR to another folder.");
  }
  process.exit(1);
}

const getLoadContext = (req: express.Request) => ({ clientIp: req.ip ?? req.socket.remoteAddress });

// Cross-site writes: a browser POST whose Origin names another host gets a 403 here. Remix runs the
// same comparison before any action of a page and throws a plain Error (a 500) when it fails; the
// routes' own assertSameOrigin answers 403 only for resource routes. Same rule as Remix: Origin
// host against the X-Forwarded-Host (first) or Host header. Requests without Origin (CLI, API
// clients with a token) pass on to the routes, which check them themselves.
app.use((req, res, next) => {
  const origin = req.headers.origin;
  if (!origin || !["POST", "PUT", "PATCH", "DELETE"].includes(req.method)) return next();
  const host = String(req.headers["x-forwarded-host"] ?? "").split(",")[0]!.trim() || req.headers.host;
  let originHost: string | null = null;
  try {
    originHost = origin === "null" ? null : new URL(origin).host;
  } catch {
    originHost = null;
  }
  if (originHost && originHost === host) return next();
  res.status(403).type("text/plain").send("Cross-site request refused: the Origin header does not match this site.");
});

// Sliding session expiry: re-issue the session cookie when lucia extended the session.
app.use(async (req, res, next) => {
  try {
    if (req.headers.cookie?.includes("drillbook_session=")) {
      const current = vite ? await loadBuild() : build;
      const refresh = (current.entry.module as unknown as { refreshedSessionCookie: RefreshCookie }).refreshedSessionCookie;
      const url = `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;
      const setCookie = await refresh(new Request(url, { headers: { cookie: req.headers.cookie, "x-forwarded-proto": req.protocol } }));
      if (setCookie) res.append("Set-Cookie", setCookie);
    }
    next();
  } catch (error) {
    next(error);
  }
});

app.all(
  "*",
  vite
    ? async (req, res, next) => {
        try {
          return createRequestHandler({ build: await loadBuild(), mode: "development", getLoadContext })(req, res, next);
        } catch (error) {
          next(error);
        }
      }
    : createRequestHandler({ build, mode: "production", getLoadContext }),
);

const server = app.listen(port, () => {
  console.log(`[drillbook] listening on http://localhost:${port}`);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[drillbook] ${signal}: shutting down`);
  server.close();
  server.closeAllConnections?.();
  await runtime.close();
  await vite?.close();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("SIGTERM", () => void shutdown("SIGTERM"));
