import path from "node:path";
import { z } from "zod";

/**
 * Configuration, read once from the process environment and validated with zod.
 * Every variable is optional: with none set, Drillbook runs on embedded PGlite under `./data`
 * with the embedded search engine on port 3000.
 */
const envSchema = z.object({
  PORT: z.coerce
    .number({ error: "PORT must be a TCP port number, e.g. PORT=3000" })
    .int("PORT must be a whole number, e.g. PORT=3000")
    .min(1, "PORT must be between 1 and 65535")
    .max(65535, "PORT must be between 1 and 65535")
    .default(3000),
  DATA_DIR: z.string().min(1, "DATA_DIR must be a directory path, e.g. DATA_DIR=./data").default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/.+/, "DATABASE_URL must look like postgres://user:password@host:5432/dbname")
    .optional(),
  MEILI_URL: z.string().url("MEILI_URL must be a URL, e.g. MEILI_URL=http://127.0.0.1:7700").optional(),
  MEILI_MASTER_KEY: z.string().min(1).optional(),
  MEILI_INDEX: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, "MEILI_INDEX may hold only letters, digits, '-' and '_', e.g. MEILI_INDEX=documents")
    .default("documents"),
  SEED_DEMO: z.enum(["true", "false"], { error: "SEED_DEMO must be true or false" }).default("true"),
  ANONYMOUS_READ: z.enum(["true", "false"], { error: "ANONYMOUS_READ must be true or false" }).default("false"),
  TRUST_PROXY: z.enum(["true", "false"], { error: "TRUST_PROXY must be true or false" }).default("false"),
  PUBLIC_URL: z.string().url("PUBLIC_URL must be the URL people use, e.g. PUBLIC_URL=https://drillbook.example").optional(),
});

export interface AppEnv {
  port: number;
  /** Absolute path of the PGlite data directory (also holds the process lock). */
  dataDir: string;
  databaseUrl: string | undefined;
  meili: { url: string; apiKey: string | undefined; index: string } | undefined;
  /** Import `content/` on the first start of an empty database. */
  seedDemo: boolean;
  /** Anyone may read without signing in (writing always needs an account). */
  anonymousRead: boolean;
  /** Take the client address from X-Forwarded-For (only behind a reverse proxy you run). */
  trustProxy: boolean;
  /** Base URL for links printed on the console (setup link); default http://localhost:PORT. */
  publicUrl: string;
}

/** Raised when the environment is invalid; its message names each bad variable. */
export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Parses and validates configuration from `source` (default `process.env`).
 * Empty strings count as unset.
 * @throws ConfigError naming every invalid variable and what it should look like.
 */
export function loadEnv(source: NodeJS.ProcessEnv = process.env): AppEnv {
  const cleaned = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ""),
  );
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    meili: env.MEILI_URL ? { url: env.MEILI_URL, apiKey: env.MEILI_MASTER_KEY, index: env.MEILI_INDEX } : undefined,
    seedDemo: env.SEED_DEMO === "true",
    anonymousRead: env.ANONYMOUS_READ === "true",
    trustProxy: env.TRUST_PROXY === "true",
    publicUrl: (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, ""),
  };
}
