/**
 * Micro benchmark of the embedded search engine.
 *
 *   npx tsx scripts/bench-search.ts [--docs=10000] [--queries=600] [--prefix=last|all] [--seed=42] [--query-words=zipf|uniform]
 *     [--repeat=1] [--only=english]
 *
 * Generates synthetic but realistic `SearchDocument`s (two thirds English, one third Chinese;
 * alert names, tags, headings, 300-800 words of body: Zipf-distributed ops vocabulary, function
 * words, host names, error codes and tickets), builds the index
 * with `replaceAll`, then runs a fixed mix of queries (exact alert names, alert names with a typo,
 * prefixes, English symptom words, Chinese phrases, empty queries; a third with filters) and times
 * each `engine.search()` call end to end (ranking, facets, snippets) with `performance.now()`.
 *
 * Memory is read after a full GC (`rssMB`, `heapUsedMB`); `peakRssMB` is the OS high-water mark,
 * which includes garbage not yet collected and this script's own generator and tsx overhead.
 * Prints a table, then the figures as one JSON object on the last line of stdout.
 * Targets: p95 < 10 ms, RSS < 400 MB.
 */
import v8 from "node:v8";
import vm from "node:vm";
import { createEmbeddedSearchEngine } from "../app/search/embedded.server";
import type { DocumentKind, DocumentStatus, SearchDocument, SearchFilters } from "../app/search/types";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? "true"] as const;
  }),
);
const DOCS = Number(args.get("docs") ?? 10_000);
const QUERIES = Math.max(500, Number(args.get("queries") ?? 600));
const PREFIX = (args.get("prefix") ?? "last") as "last" | "all";
const SEED = Number(args.get("seed") ?? 42);
/** Runs the timed query loop this many times (for profiling with `node --cpu-prof`). */
const REPEAT = Math.max(1, Number(args.get("repeat") ?? 1));
/**
 * How English and Chinese query words are drawn: `zipf` (default, pessimistic: the corpus's most
 * frequent words, matching thousands of documents, dominate) or `uniform` over the vocabulary
 * (closer to people searching for specific symptoms).
 */
const QUERY_WORDS = (args.get("query-words") ?? "zipf") as "zipf" | "uniform";
/** Only time queries of this category (for profiling), e.g. `--only=english`. */
const ONLY = args.get("only");

// ---------------------------------------------------------------------------------------------
// Deterministic randomness (mulberry32), so runs are comparable.

let state = SEED >>> 0;
function rand(): number {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
const pickN = <T>(xs: readonly T[], n: number): T[] => Array.from({ length: n }, () => pick(xs));
const chance = (p: number) => rand() < p;

// ---------------------------------------------------------------------------------------------
// Vocabulary.

const EN_WORDS = (
  "pod node cluster container deployment replica replication primary standby failover failback database " +
  "connection pool timeout latency throughput error rate saturation queue consumer producer lag offset " +
  "partition broker topic certificate expiry renewal tls handshake dns resolution load balancer gateway " +
  "payment settlement clearing ledger account balance batch job scheduler cron overrun backlog retry " +
  "backoff circuit breaker throttle rate limit memory leak heap garbage collection cpu throttling disk " +
  "pressure inode filesystem volume snapshot backup restore rto rpo mttr sla incident postmortem runbook " +
  "contingency plan drill inspection escalation oncall pager acknowledge mitigate rollback release canary " +
  "feature flag config drift secret rotation vault token expired unauthorized forbidden login session " +
  "cache eviction redis cluster sentinel master slave sync async commit transaction lock deadlock wait " +
  "index slow query plan vacuum bloat checkpoint wal archive network packet loss jitter bandwidth firewall " +
  "vpn tunnel switch router bgp route flapping datacenter region zone outage degraded partial full " +
  "customer branch teller atm card acquirer issuer swift message reconciliation mismatch report nightly " +
  "monitoring alert dashboard metric threshold anomaly log trace span kubernetes docker image registry " +
  "node_exporter prometheus grafana alertmanager mainframe cobol mq listener channel mutual authentication " +
  "verify check restart drain cordon evict scale increase decrease promote fence isolate confirm notify " +
  "investigate collect dump analyse compare validate apply revert approve record handover shift manager"
).split(/\s+/);

const ZH_WORDS = (
  "核心 账务 数据库 主备 延迟 复制 切换 回切 应急 预案 演练 巡检 复盘 事故 告警 值班 升级 处置 排查 " +
  "步骤 连接池 超时 耗尽 支付 网关 清算 结算 批量 任务 调度 积压 重试 熔断 限流 降级 扩容 缩容 " +
  "内存 泄漏 磁盘 空间 不足 证书 过期 续期 域名 解析 负载 均衡 网络 丢包 抖动 专线 防火墙 机房 " +
  "容灾 备份 恢复 快照 日志 监控 指标 阈值 异常 客户 柜面 网点 交易 失败 成功 率 下降 上升 " +
  "确认 通知 业务 影响 范围 时间 线 根因 改进 措施 责任 团队 系统 版本 发布 回滚 配置 变更 审批 " +
  "核对 对账 差错 报文 消息 队列 消费 生产 堆积 主库 从库 锁 等待 事务 索引 慢查询"
).split(/\s+/);

/** Function words: about a third of real English prose; nobody searches for them. */
const EN_FUNCTION = "the a an to of and or is are was in on for with if then when after before from by at as be it this that not no all any each".split(" ");
const ZH_FUNCTION = "的 在 并 后 如果 需要 进行 已经 可以 由 对 及 时".split(" ");

/**
 * Zipf(s = 1) sampler over `words` in a shuffled rank order: a few words appear in nearly every
 * document, most appear in few, as in real text (and unlike uniform sampling).
 */
function zipf(words: readonly string[]): () => string {
  const ranked = [...words].sort(() => rand() - 0.5);
  const cdf: number[] = [];
  let sum = 0;
  for (let r = 1; r <= ranked.length; r++) cdf.push((sum += 1 / r));
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return ranked[lo];
  };
}
const enWord = zipf(EN_WORDS);
const zhWord = zipf(ZH_WORDS);
const enWords = (n: number) => Array.from({ length: n }, enWord);
const zhWords = (n: number) => Array.from({ length: n }, zhWord);

/** Long-tail tokens of real runbooks: host names, error codes, tickets, tables. */
function identifier(): string {
  switch (int(0, 4)) {
    case 0:
      return `${pick(["ledger", "pay", "ib", "batch", "mq", "atm"])}-${pick(["db", "app", "web", "mq"])}-${int(1, 60).toString().padStart(2, "0")}`;
    case 1:
      return `ORA-${int(1, 29999).toString().padStart(5, "0")}`;
    case 2:
      return `INC${int(1_000_000, 9_999_999)}`;
    case 3:
      return `HTTP ${pick(["500", "502", "503", "504", "429", "401"])}`;
    default:
      return `t_${enWord()}_${enWord()}`;
  }
}

const ALERT_PREFIX = ["Kube", "Node", "MySQL", "Postgres", "Kafka", "Redis", "Payment", "Ledger", "Batch", "Http", "Tls", "Dns", "Swift", "Atm", "Mq"];
const ALERT_OBJECT = ["Pod", "Replication", "Consumer", "Connection", "Certificate", "Latency", "Error", "Queue", "Disk", "Memory", "Cpu", "Job", "Session", "Gateway"];
const ALERT_STATE = ["CrashLooping", "LagHigh", "Down", "Full", "ExpiringSoon", "Saturated", "Degraded", "TimeoutHigh", "RateHigh", "NotReady", "Backlog", "Flapping"];
const ALERTS = ALERT_PREFIX.flatMap((p) => ALERT_OBJECT.map((o) => `${p}${o}${pick(ALERT_STATE)}`));

const SYSTEMS = Array.from({ length: 40 }, (_, i) => {
  const base = pick(["core-ledger", "payment-gateway", "internet-banking", "batch-scheduler", "event-bus", "card-switch", "swift-gateway", "atm-network", "crm", "data-warehouse"]);
  return {
    slug: `${base}-${i}`,
    name: `${base.replace(/-/g, " ").replace(/\b\w/g, (c) => c.toUpperCase())} ${i}`,
    team: `team-${i % 12}`,
    tier: (i % 4) + 1,
  };
});

const KINDS: DocumentKind[] = ["runbook", "runbook", "runbook", "contingency_plan", "postmortem", "inspection_report", "drill_report", "article"];

function englishBody(words: number, alerts: string[]): string {
  const out: string[] = [];
  let n = 0;
  while (n < words) {
    const len = int(6, 16);
    const sentence = Array.from({ length: len }, () => (chance(0.35) ? pick(EN_FUNCTION) : chance(0.04) ? identifier() : enWord()));
    n += len;
    if (alerts.length > 0 && chance(0.08)) sentence.splice(int(0, sentence.length), 0, pick(alerts));
    sentence[0] = sentence[0][0].toUpperCase() + sentence[0].slice(1);
    out.push(`${sentence.join(" ")}.`);
  }
  return out.join(" ");
}

function chineseBody(words: number, alerts: string[]): string {
  const out: string[] = [];
  let n = 0;
  while (n < words) {
    const len = int(6, 14);
    let sentence = Array.from({ length: len }, () => (chance(0.25) ? pick(ZH_FUNCTION) : zhWord())).join("");
    if (chance(0.15)) sentence += ` ${chance(0.5) ? enWord() : identifier()} `;
    if (alerts.length > 0 && chance(0.1)) sentence += ` ${pick(alerts)} `;
    out.push(`${sentence}。`);
    n += len;
  }
  return out.join("");
}

function makeDoc(i: number): SearchDocument {
  const zh = chance(1 / 3);
  const kind = pick(KINDS);
  const systems = pickN(SYSTEMS, int(1, 3));
  const alerts = kind === "runbook" ? [...new Set(pickN(ALERTS, int(1, 3)))] : chance(0.2) ? [pick(ALERTS)] : [];
  const status: DocumentStatus = chance(0.05) ? "archived" : chance(0.1) ? "draft" : "published";
  const bodyWords = int(300, 800);
  const title = zh
    ? `${zhWords(int(3, 6)).join("")}${kind === "contingency_plan" ? "应急预案" : ""}`
    : `${enWords(int(3, 7)).join(" ")}`.replace(/^\w/, (c) => c.toUpperCase());
  return {
    id: `doc-${i.toString().padStart(5, "0")}`,
    slug: `doc-${i}`,
    title: kind === "runbook" && alerts.length > 0 && chance(0.5) ? alerts[0] : title,
    kind,
    status,
    systems: [...new Set(systems.map((s) => s.slug))],
    systemNames: [...new Set(systems.map((s) => s.name))],
    teams: [...new Set(systems.map((s) => s.team))],
    tiers: [...new Set(systems.map((s) => s.tier))],
    tags: [...new Set(zh ? zhWords(int(2, 5)) : enWords(int(2, 5)))],
    alerts,
    headings: zh ? zhWords(int(3, 6)) : enWords(int(3, 6)),
    body: zh ? chineseBody(bodyWords, alerts) : englishBody(bodyWords, alerts),
    sourcePath: `content/docs/doc-${i}.md`,
    updatedAt: new Date(Date.UTC(2022, 0, 1) + Math.floor(rand() * 3 * 365 * 86_400_000)).toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Queries.

type Category = "alert" | "alert-typo" | "prefix" | "english" | "chinese" | "empty";

function typo(word: string): string {
  const i = int(2, word.length - 2);
  const ops = [
    () => word.slice(0, i) + word.slice(i + 1), // deletion
    () => word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2), // transposition
    () => word.slice(0, i) + "x" + word.slice(i + 1), // substitution
  ];
  return pick(ops)();
}

function randomFilters(): SearchFilters | undefined {
  if (!chance(1 / 3)) return undefined;
  switch (int(0, 3)) {
    case 0:
      return { kind: [pick(KINDS)] };
    case 1:
      return { system: [pick(SYSTEMS).slug] };
    case 2:
      return { tier: [int(1, 4)], team: [pick(SYSTEMS).team] };
    default:
      return { kind: ["runbook"], tier: [1, 2] };
  }
}

const qEn = QUERY_WORDS === "uniform" ? () => pick(EN_WORDS) : enWord;
const qZh = QUERY_WORDS === "uniform" ? () => pick(ZH_WORDS) : zhWord;

function makeQueries(n: number): { category: Category; q: string; filters?: SearchFilters }[] {
  const makers: Record<Category, () => string> = {
    alert: () => pick(ALERTS),
    "alert-typo": () => typo(pick(ALERTS)),
    prefix: () => (chance(0.5) ? pick(ALERTS).slice(0, int(4, 10)) : `${qEn()} ${qEn().slice(0, int(3, 5))}`),
    english: () => Array.from({ length: int(1, 4) }, qEn).join(" "),
    chinese: () => Array.from({ length: int(1, 3) }, qZh).join(""),
    empty: () => "",
  };
  const order: Category[] = ["alert", "alert-typo", "prefix", "english", "chinese", "alert", "alert-typo", "prefix", "english", "chinese", "empty"];
  return Array.from({ length: n }, (_, i) => {
    const category = order[i % order.length];
    return { category, q: makers[category](), filters: randomFilters() };
  });
}

// ---------------------------------------------------------------------------------------------

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** A full GC before reading memory, so figures do not depend on when V8 last collected. */
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
const ms = (x: number) => Math.round(x * 100) / 100;

async function main(): Promise<void> {
  const tGen = performance.now();
  const docs = Array.from({ length: DOCS }, (_, i) => makeDoc(i));
  const genMs = performance.now() - tGen;
  const bodyChars = docs.reduce((n, d) => n + d.body.length, 0);

  const engine = createEmbeddedSearchEngine({ prefix: PREFIX });
  await engine.init();
  const tBuild = performance.now();
  await engine.replaceAll(docs);
  const buildMs = performance.now() - tBuild;
  gc();
  const afterBuild = process.memoryUsage();

  const queries = makeQueries(QUERIES).filter((q) => !ONLY || q.category === ONLY);
  for (const q of queries.slice(0, 50)) await engine.search({ q: q.q, filters: q.filters }); // warm-up

  const times: number[] = [];
  const byCategory = new Map<Category, number[]>();
  let totalHits = 0;
  let zeroHits = 0;
  for (const { category, q, filters } of Array.from({ length: REPEAT }, () => queries).flat()) {
    const t0 = performance.now();
    const r = await engine.search({ q, filters });
    const dt = performance.now() - t0;
    times.push(dt);
    totalHits += r.total;
    if (r.total === 0) zeroHits++;
    const list = byCategory.get(category) ?? [];
    list.push(dt);
    byCategory.set(category, list);
  }
  const peakRss = process.resourceUsage().maxRSS * 1024;
  gc();
  const after = process.memoryUsage();
  times.sort((a, b) => a - b);

  const rows = [...byCategory.entries()].map(([category, xs]) => {
    xs.sort((a, b) => a - b);
    return { category, n: xs.length, p50: ms(percentile(xs, 50)), p95: ms(percentile(xs, 95)), max: ms(xs[xs.length - 1]) };
  });
  const result = {
    engine: "embedded",
    prefix: PREFIX,
    queryWords: QUERY_WORDS,
    docs: DOCS,
    bodyMB: mb(bodyChars),
    generateMs: Math.round(genMs),
    buildMs: Math.round(buildMs),
    queries: times.length,
    p50Ms: ms(percentile(times, 50)),
    p95Ms: ms(percentile(times, 95)),
    p99Ms: ms(percentile(times, 99)),
    maxMs: ms(times[times.length - 1]),
    meanTotalHits: Math.round(totalHits / times.length),
    zeroHitQueries: zeroHits,
    rssMB: mb(after.rss),
    heapUsedMB: mb(after.heapUsed),
    peakRssMB: mb(peakRss),
    rssAfterBuildMB: mb(afterBuild.rss),
    heapAfterBuildMB: mb(afterBuild.heapUsed),
    byCategory: rows,
  };

  console.log(`Embedded search benchmark: ${DOCS} documents (${result.bodyMB} M body chars), prefix=${PREFIX}, query words ${QUERY_WORDS}`);
  console.log(`  generate ${result.generateMs} ms, build ${result.buildMs} ms`);
  console.table(rows);
  console.table([
    {
      queries: result.queries,
      "p50 ms": result.p50Ms,
      "p95 ms": result.p95Ms,
      "p99 ms": result.p99Ms,
      "max ms": result.maxMs,
      "RSS MB": result.rssMB,
      "peak RSS MB": result.peakRssMB,
      "heap MB": result.heapUsedMB,
      "build ms": result.buildMs,
    },
  ]);
  console.log(
    `  targets: p95 < 10 ms ${result.p95Ms < 10 ? "OK" : "MISSED"}, RSS < 400 MB ${result.rssMB < 400 ? "OK" : "MISSED"} (peak ${result.peakRssMB} MB); ` +
      `mean total hits ${result.meanTotalHits}, zero-hit queries ${result.zeroHitQueries}`,
  );
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
