/**
 * Meilisearch engine, through the official `meilisearch` client (v0.62). Meilisearch does its
 * own tokenising (charabia: jieba for Chinese, CamelCase splitting for Latin), typo tolerance,
 * prefix search on the last word and ranking; this module only configures the index and maps
 * queries and results to the `SearchEngine` shapes.
 *
 * Every write waits for its Meilisearch task, so a resolved `upsert`/`remove`/`replaceAll` means
 * the change is searchable. Failures throw an `Error` whose message names `MEILI_URL`.
 */
import {
  Meilisearch,
  MeilisearchApiError,
  MeilisearchRequestError,
  MeilisearchRequestTimeOutError,
  MeilisearchTaskTimeOutError,
  type EnqueuedTaskPromise,
  type Index,
  type SearchParams,
  type Settings,
  type Task,
} from "meilisearch";
import { escapeHtml, markSentinels } from "./highlight";
import {
  FACET_NAMES,
  type DocumentKind,
  type DocumentStatus,
  type FacetName,
  type Facets,
  type SearchDocument,
  type SearchEngine,
  type SearchFilters,
  type SearchHealth,
  type SearchHit,
  type SearchQuery,
} from "./types";

/** Page size defaults, as in the embedded engine. */
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

/** Highlight markers that cannot occur in escaped text; swapped for `<mark>` after escaping. */
const PRE = "\u0001";
const POST = "\u0002";

/** Languages the documents are written in (ISO 639-3), for charabia's segmenter choice. */
export const MEILI_LOCALES = ["cmn", "eng"];

/** Meilisearch attribute (document field) behind each facet of `FacetName`. */
export const MEILI_FACET_ATTRIBUTES: Record<FacetName, keyof SearchDocument> = {
  kind: "kind",
  system: "systems",
  team: "teams",
  tier: "tiers",
  status: "status",
};

/** Hit fields fetched from Meilisearch (`body` only so `_formatted.body` carries the crop). */
const RETRIEVED: (keyof SearchDocument)[] = ["id", "slug", "title", "kind", "status", "systems", "alerts", "sourcePath", "updatedAt", "body"];

export interface MeilisearchEngineOptions {
  /** Base URL of the Meilisearch server (`MEILI_URL`), e.g. `http://127.0.0.1:7700`. */
  url: string;
  /** API key (`MEILI_API_KEY`); a key with search and document/settings/index rights. */
  apiKey?: string;
  /** Index uid; default `"documents"`. */
  indexUid?: string;
  /** How long a write waits for its task, in milliseconds; default 120 000. */
  taskTimeoutMs?: number;
}

/**
 * The index settings, applied by `init()`. Pure, so it can be unit-tested and diffed.
 *
 * - `searchableAttributes` in ranking order: title > alerts > tags > headings > system names > body.
 * - `rankingRules`: the default set with `attribute` moved up to third, before `proximity`:
 *   where a word matches matters more than how close the words are, but an exact match still beats a
 *   typo (someone pasting an alert name wants that runbook, not a near-miss in a title).
 * - `typoTolerance`: Meilisearch's defaults (1 typo from 5 characters, 2 from 9) stated explicitly;
 *   no typos on numbers, so HTTP 503 does not find 504.
 * - `localizedAttributes`: Chinese and English, so short Han texts are not taken for Japanese.
 * - `dictionary`: ops words charabia should keep whole in Chinese text.
 */
export function meilisearchSettings(): Settings {
  return {
    searchableAttributes: ["title", "alerts", "tags", "headings", "systemNames", "body"],
    filterableAttributes: ["kind", "status", "systems", "teams", "tiers"],
    sortableAttributes: ["updatedAt", "title"],
    rankingRules: ["words", "typo", "attribute", "proximity", "sort", "exactness"],
    typoTolerance: {
      enabled: true,
      minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
      disableOnNumbers: true,
    },
    localizedAttributes: [{ attributePatterns: ["*"], locales: MEILI_LOCALES }],
    dictionary: ["主备", "账务", "连接池", "容灾", "限流", "熔断", "回切", "追平", "批量任务"],
    faceting: { maxValuesPerFacet: 200 },
    pagination: { maxTotalHits: 1000 },
  };
}

/**
 * Turns `SearchFilters` into a Meilisearch filter expression. Values within a filter are OR-ed
 * (`IN [...]`), filters are AND-ed; without a status filter, archived documents are excluded.
 * String values are double-quoted with `\` and `"` escaped (Meilisearch >= 1.4 rules).
 *
 * @returns e.g. `kind IN ["runbook"] AND tiers IN [1, 2] AND status != "archived"`.
 * @throws Error when a tier is not an integer.
 */
export function toMeiliFilter(filters: SearchFilters = {}): string {
  const parts: string[] = [];
  const strings = (attribute: string, values: string[] | undefined) => {
    if (values && values.length > 0) parts.push(`${attribute} IN [${values.map(quote).join(", ")}]`);
  };
  strings("kind", filters.kind);
  strings("systems", filters.system);
  strings("teams", filters.team);
  if (filters.tier && filters.tier.length > 0) {
    for (const t of filters.tier) {
      if (!Number.isInteger(t)) throw new Error(`Search filter tier must be an integer 1-4, got ${JSON.stringify(t)}`);
    }
    parts.push(`tiers IN [${filters.tier.join(", ")}]`);
  }
  if (filters.status && filters.status.length > 0) strings("status", filters.status);
  else parts.push(`status != "archived"`);
  return parts.join(" AND ");
}

function quote(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/**
 * Creates the Meilisearch engine. No request is made until a method is called.
 * All methods reject with an `Error` naming `MEILI_URL` when the server is unreachable, times out
 * or rejects a request or task; `health()` instead resolves `{ ok: false, detail }`.
 */
export function createMeilisearchEngine(options: MeilisearchEngineOptions): SearchEngine {
  const uid = options.indexUid ?? "documents";
  const taskTimeout = options.taskTimeoutMs ?? 120_000;
  const client = new Meilisearch({
    host: options.url,
    apiKey: options.apiKey,
    timeout: 30_000,
    defaultWaitOptions: { timeout: taskTimeout, interval: 50 },
  });
  const index: Index<SearchDocument> = client.index<SearchDocument>(uid);

  const fail = (action: string, error: unknown): never => {
    throw meiliError(options.url, uid, action, error);
  };
  /** Enqueues, waits for the task, and throws unless it succeeded. */
  const run = async (action: string, enqueue: () => EnqueuedTaskPromise, accept?: (task: Task) => boolean): Promise<void> => {
    let task: Task;
    try {
      task = await enqueue().waitTask();
    } catch (error) {
      return fail(action, error);
    }
    if (task.status !== "succeeded" && !accept?.(task)) {
      throw new Error(
        `Meilisearch task ${task.uid} (${action} on index "${uid}" at MEILI_URL=${options.url}) ${task.status}: ` +
          `${task.error?.message ?? "no error message"}${task.error?.code ? ` [${task.error.code}]` : ""}`,
      );
    }
  };

  return {
    name: "meilisearch",

    async init() {
      await run("create index", () => client.createIndex(uid, { primaryKey: "id" }), (t) => t.error?.code === "index_already_exists");
      await run("update settings", () => index.updateSettings(meilisearchSettings()));
    },

    async upsert(docs) {
      if (docs.length === 0) return;
      await run("add documents", () => index.addDocuments(docs, { primaryKey: "id" }));
    },

    async remove(ids) {
      if (ids.length === 0) return;
      await run("delete documents", () => index.deleteDocuments(ids));
    },

    async replaceAll(docs) {
      // Clear, then add: the addition is enqueued only after the clear is (tasks run in enqueue
      // order, and two requests in flight could arrive swapped). Meilisearch may autobatch the two;
      // otherwise searches can briefly see an empty index. A zero-downtime reindex would build a
      // second index and `swapIndexes` it in.
      const cleared = index.deleteAllDocuments();
      try {
        await cleared;
      } catch (error) {
        fail("delete all documents", error);
      }
      const added = docs.length > 0 ? index.addDocuments(docs, { primaryKey: "id" }) : undefined;
      added?.catch(() => undefined); // reported by `run` below
      await run("delete all documents", () => cleared);
      if (added) await run("add documents", () => added);
    },

    async search(query: SearchQuery) {
      const t0 = performance.now();
      const q = (query.q ?? "").trim();
      const params = {
        filter: toMeiliFilter(query.filters),
        facets: FACET_NAMES.map((f) => MEILI_FACET_ATTRIBUTES[f]),
        limit: clampInt(query.limit, DEFAULT_LIMIT, 0, MAX_LIMIT),
        offset: clampInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER),
        attributesToRetrieve: RETRIEVED,
        attributesToHighlight: ["title", "body"],
        attributesToCrop: ["body"],
        cropLength: 30,
        cropMarker: "…",
        highlightPreTag: PRE,
        highlightPostTag: POST,
        locales: MEILI_LOCALES,
        ...(q === "" ? { sort: ["updatedAt:desc"] } : {}),
      } satisfies SearchParams;
      let response;
      try {
        response = await index.search(q, params);
      } catch (error) {
        return fail("search", error);
      }
      const facets = Object.fromEntries(
        FACET_NAMES.map((f) => [f, { ...(response.facetDistribution?.[MEILI_FACET_ATTRIBUTES[f]] ?? {}) }]),
      ) as Facets;
      const hits: SearchHit[] = response.hits.map((hit) => {
        const formatted = hit._formatted ?? {};
        return {
          id: String(hit.id),
          slug: hit.slug,
          title: hit.title,
          titleHtml: typeof formatted.title === "string" ? markSentinels(formatted.title, PRE, POST) : escapeHtml(hit.title),
          kind: hit.kind as DocumentKind,
          status: hit.status as DocumentStatus,
          systems: hit.systems ?? [],
          alerts: hit.alerts ?? [],
          snippet: typeof formatted.body === "string" ? markSentinels(formatted.body, PRE, POST) : "",
          sourcePath: hit.sourcePath ?? null,
          updatedAt: hit.updatedAt,
        };
      });
      return { hits, total: response.estimatedTotalHits, facets, tookMs: performance.now() - t0 };
    },

    async health(): Promise<SearchHealth> {
      try {
        await client.health();
        const stats = await index.getStats();
        return { ok: true, engine: "meilisearch", documents: stats.numberOfDocuments };
      } catch (error) {
        return { ok: false, engine: "meilisearch", documents: 0, detail: meiliError(options.url, uid, "health check", error).message };
      }
    },
  };
}

/** Wraps a client error in an `Error` that says where and what to check. */
function meiliError(url: string, uid: string, action: string, error: unknown): Error {
  const where = `Meilisearch at MEILI_URL=${url}`;
  if (error instanceof MeilisearchRequestError || error instanceof MeilisearchRequestTimeOutError) {
    const reason = error.cause instanceof Error ? `: ${error.cause.message}` : error.message ? `: ${error.message}` : "";
    return new Error(
      `${where} is unreachable (${action} on index "${uid}"${reason}). ` +
        "Start Meilisearch or fix MEILI_URL, or unset MEILI_URL to use the embedded search engine.",
      { cause: error },
    );
  }
  if (error instanceof MeilisearchTaskTimeOutError) {
    return new Error(`${where} did not finish ${action} on index "${uid}" in time: ${error.message}`, { cause: error });
  }
  if (error instanceof MeilisearchApiError) {
    const code = error.cause?.code ? ` [${error.cause.code}]` : "";
    const hint = error.response.status === 401 || error.response.status === 403 ? " Check MEILI_API_KEY." : "";
    return new Error(`${where} rejected ${action} on index "${uid}": ${error.message}${code}.${hint}`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new Error(`${where} failed during ${action} on index "${uid}": ${message}`, { cause: error });
}

function clampInt(value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.floor(value)));
}
