/**
 * npm run bench:http — end-to-end HTTP figures on the production build (run `npm run build` first):
 * 1. search latency over HTTP: p50/p95/p99 of GET /api/v1/search for 240 queries (alert names,
 *    typos, prefixes, English symptoms, Chinese phrases, filters) on the demo content plus the three
 *    imported corpora (target p95 < 20 ms);
 * 2. document-page throughput: requests per second of GET /docs/<slug> (rotating over runbooks) as a
 *    ratio to GET /robots.txt, a trivial route in the same server (target >= 0.5).
 * Starts its own server on a free port with a throwaway PGlite data directory.
 */
import path from "node:path";
import { CORPORA } from "../tests/paths";
import { runScript, startServer } from "../tests/e2e/harness";

const server = await startServer({ ANONYMOUS_READ: "true" });
try {
  const env = { DATA_DIR: server.dataDir };
  for (const args of [
    ["kubesphere-alert-runbooks", "--kind", "runbook"],
    ["dfds-postmortems", "--kind", "postmortem"],
    ["strongdm-comply-soc2"],
  ]) {
    const run = await runScript("scripts/import.ts", [path.join(CORPORA, args[0]!), ...args.slice(1)], env);
    if (run.code !== 0) throw new Error(run.output);
  }
  const health = await (await fetch(`${server.url}/healthz`)).json();
  console.log(`server ready: ${health.search.documents} documents indexed (${health.search.engine})`);

  const base = [
    "KubePodCrashLooping", "KubePodCrashLoping", "KubeNodeNotReady", "KubeNodeNotRedy", "NodeFilesystemAlmostOutOfSpace",
    "NodeFilesystmAlmostOutOfSpace", "PrometheusRuleFailures", "AlertmanagerFailedReload", "EtcdNoLeader", "etcdHighNumberOfLeaderChanges",
    "LedgerReplicationLagHigh", "PaymentGatewayHighErrorRate", "NavCalculationLate", "SwiftQueueBacklog", "CertificateExpiringSoon",
    "replication lag", "pod keeps restarting", "disk almost full", "certificate expired", "database failover",
    "data centre loss", "network partition", "vendor outage", "connection refused", "out of memory",
    "Kube", "Prometh", "replic", "certif", "failov",
    "主备延迟", "磁盘空间", "净值", "证书过期", "数据库切换", "行情", "清算指令积压", "应急预案", "巡检", "告警",
  ];
  const filters = ["", "&kind=runbook", "&kind=contingency_plan", "&tier=1", "&system=core-ledger", "&kind=postmortem"];
  const queries = base.flatMap((q, i) => [`q=${encodeURIComponent(q)}`, `q=${encodeURIComponent(q)}${filters[i % filters.length]}`]);
  while (queries.length < 240) queries.push(`q=${encodeURIComponent(base[queries.length % base.length]!)}&limit=10`);

  for (const q of queries.slice(0, 20)) await fetch(`${server.url}/api/v1/search?${q}`); // warm-up
  const latencies: number[] = [];
  const engineTimes: number[] = [];
  for (const q of queries) {
    const started = performance.now();
    const response = await fetch(`${server.url}/api/v1/search?${q}`);
    const body = await response.json();
    latencies.push(performance.now() - started);
    engineTimes.push(body.tookMs);
  }
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
  };
  const searchFigures = {
    queries: latencies.length,
    httpP50Ms: +pct(latencies, 50).toFixed(2),
    httpP95Ms: +pct(latencies, 95).toFixed(2),
    httpP99Ms: +pct(latencies, 99).toFixed(2),
    engineP50Ms: +pct(engineTimes, 50).toFixed(2),
    engineP95Ms: +pct(engineTimes, 95).toFixed(2),
  };
  console.log("search over HTTP:", searchFigures);

  const slugs = ((await (await fetch(`${server.url}/api/v1/search?q=&kind=runbook&limit=50`)).json()).hits as Array<{ slug: string }>).map(
    (h) => h.slug,
  );
  async function throughput(paths: string[], seconds: number, concurrency: number): Promise<number> {
    let done = 0;
    let i = 0;
    const deadline = performance.now() + seconds * 1000;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (performance.now() < deadline) {
          const response = await fetch(`${server.url}${paths[i++ % paths.length]}`);
          await response.arrayBuffer();
          if (!response.ok) throw new Error(`${response.status} for ${response.url}`);
          done++;
        }
      }),
    );
    return done / seconds;
  }
  const docPaths = slugs.map((s) => `/docs/${s.split("/").map(encodeURIComponent).join("/")}`);
  await throughput(docPaths, 2, 4); // warm-up (JIT, render cache)
  await throughput(["/robots.txt"], 2, 4);
  const trivial = await throughput(["/robots.txt"], 8, 8);
  const pages = await throughput(docPaths, 8, 8);
  const pageFigures = {
    trivialRps: Math.round(trivial),
    documentPageRps: Math.round(pages),
    ratio: +(pages / trivial).toFixed(2),
    documents: docPaths.length,
  };
  console.log("document page throughput:", pageFigures);
  console.log(JSON.stringify({ search: searchFigures, documentPage: pageFigures }));
} finally {
  await server.stop();
}
