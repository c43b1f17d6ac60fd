import { z } from "zod";
import { DOCUMENT_KINDS, DOCUMENT_STATUSES } from "../../db/schema/documents";
import type { SearchQuery } from "./types";

const list = (values: string[]) =>
  values
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter(Boolean);

const kind = z.enum(DOCUMENT_KINDS, { error: `kind must be one of ${DOCUMENT_KINDS.join(", ")}` });
const status = z.enum(DOCUMENT_STATUSES, { error: `status must be one of ${DOCUMENT_STATUSES.join(", ")}` });
const tier = z.coerce.number({ error: "tier must be 1, 2, 3 or 4" }).int().min(1, "tier must be 1, 2, 3 or 4").max(4, "tier must be 1, 2, 3 or 4");
const slugList = z.array(z.string().max(200, "a slug is at most 200 characters"));

const schema = z.object({
  q: z.string().max(500, "q is at most 500 characters").default(""),
  kind: z.array(kind),
  system: slugList,
  team: slugList,
  tier: z.array(tier),
  status: z.array(status),
  limit: z.coerce.number({ error: "limit must be a number from 1 to 100" }).int().min(1, "limit must be from 1 to 100").max(100, "limit must be from 1 to 100").default(20),
  offset: z.coerce.number({ error: "offset must be a whole number" }).int().min(0, "offset cannot be negative").max(10_000, "offset is at most 10000").default(0),
});

/** Parsed search parameters, or the message of the first bad one. */
export type ParsedSearchParams = { ok: true; query: SearchQuery } | { ok: false; error: string };

/**
 * Reads `q, kind, system, team, tier, status, limit, offset` from a URL's search params (list
 * parameters may repeat or be comma-separated), shared by `/search` and `GET /api/v1/search`.
 */
export function parseSearchParams(params: URLSearchParams): ParsedSearchParams {
  const result = schema.safeParse({
    q: params.get("q")?.trim() ?? undefined,
    kind: list(params.getAll("kind")),
    system: list(params.getAll("system")),
    team: list(params.getAll("team")),
    tier: list(params.getAll("tier")),
    status: list(params.getAll("status")),
    limit: params.get("limit") || undefined,
    offset: params.get("offset") || undefined,
  });
  if (!result.success) {
    const issue = result.error.issues[0]!;
    return { ok: false, error: issue.message };
  }
  const { q, limit, offset, ...filters } = result.data;
  const nonEmpty = Object.fromEntries(Object.entries(filters).filter(([, v]) => v.length > 0));
  return { ok: true, query: { q, limit, offset, filters: nonEmpty } };
}
