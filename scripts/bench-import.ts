/**
 * npm run bench:import — import throughput: generates 1,000 Markdown runbooks (English and Chinese,
 * with frontmatter, tables, code and wiki links) in a temporary folder, imports them into a fresh
 * PGlite data directory, and applies the search outbox to the embedded engine. Target: under 20 s
 * for import plus indexing. Also times an unchanged re-import.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { openDatabase } from "../db/client";
import { importContent } from "../app/docs/import.server";
import { createEmbeddedSearchEngine } from "../app/search/embedded.server";
import { drainOutbox } from "../app/search/outbox.server";

const FILES = Number(process.env.BENCH_FILES ?? 1000);
const systems = ["core-ledger", "payment-gateway", "custody-settlement", "market-data-feed", "identity-sso"];
const verbsEn = ["restart", "drain", "fail over", "rotate", "scale", "verify", "roll back", "escalate"];
const nounsEn = ["replica", "consumer group", "certificate", "connection pool", "batch job", "message queue", "cache", "disk volume"];
const nounsZh = ["主库", "备库", "证书", "连接池", "批处理作业", "消息队列", "缓存", "磁盘"];

function runbook(i: number): string {
  const zh = i % 4 === 0;
  const alert = `Bench${["Replica", "Queue", "Disk", "Cert", "Pool"][i % 5]}${["Lag", "Backlog", "Full", "Expiry", "Exhausted"][(i >> 2) % 5]}${i}`;
  const noun = zh ? nounsZh[i % nounsZh.length] : nounsEn[i % nounsEn.length];
  const steps = Array.from({ length: 8 }, (_, s) =>
    zh ? `- [ ] 第 ${s + 1} 步：检查${nounsZh[(i + s) % nounsZh.length]}状态并记录结果` : `- [ ] Step ${s + 1}: ${verbsEn[(i + s) % verbsEn.length]} the ${nounsEn[(i + s) % nounsEn.length]} on host app-${(i + s) % 40}.lhb.example`,
  );
  return `---
kind: runbook
title: "${zh ? `${noun}告警处置 ${i}` : `Handle ${noun} alert ${i}`}"
systems: [${systems[i % systems.length]}]
tags: [bench, ${zh ? "zh" : "en"}]
alerts: [${alert}]
last_reviewed: 2026-0${(i % 9) + 1}-15
---

# ${zh ? `${noun}告警处置` : `Handle ${noun} alert`}

## ${zh ? "现象" : "Symptoms"}

${zh ? `监控平台触发 ${alert} 告警，${noun}响应时间超过阈值 500 ms，交易成功率下降。` : `Alert ${alert} fires when the ${noun} stays above its threshold for 5 minutes; latency rises and payments time out.`}

| ${zh ? "指标" : "Metric"} | ${zh ? "阈值" : "Threshold"} |
| --- | --- |
| p99 latency | 500 ms |
| error rate | 1% |

## ${zh ? "处置步骤" : "Steps"}

${steps.join("\n")}

\`\`\`bash
kubectl -n payments get pods -l app=gateway-${i % 7}
psql -h ledger-db-0${(i % 3) + 1}.sha.lhb.example -c "select now() - pg_last_xact_replay_timestamp();"
\`\`\`

> [!WARNING]
> ${zh ? "切换前必须与值班经理确认。" : "Confirm with the incident commander before failing over."}

See [[bench/runbook-${(i + 1) % FILES}]] and [[bench/runbook-${(i + 7) % FILES}]].
`;
}

const root = await mkdtemp(path.join(os.tmpdir(), "drillbook-bench-import-"));
const dataDir = path.join(root, "data");
const contentDir = path.join(root, "bench");
try {
  await mkdir(path.join(contentDir, "catalog"), { recursive: true });
  await writeFile(
    path.join(contentDir, "catalog/teams.yaml"),
    "- slug: bench-team\n  name: Bench Team\n",
  );
  await writeFile(
    path.join(contentDir, "catalog/systems.yaml"),
    systems.map((s, i) => `- slug: ${s}\n  name: ${s.replace(/-/g, " ")}\n  tier: ${(i % 4) + 1}\n  owner: bench-team\n`).join(""),
  );
  for (let i = 0; i < FILES; i++) {
    await writeFile(path.join(contentDir, `runbook-${i}.md`), runbook(i));
  }
  const handle = await openDatabase({ dataDir });
  const engine = createEmbeddedSearchEngine();
  await engine.init();

  const started = performance.now();
  const summary = await importContent(handle.db, { root: contentDir }, (line) => console.log(line));
  const imported = performance.now();
  const indexed = await drainOutbox(handle.db, engine);
  const done = performance.now();
  const again = await importContent(handle.db, { root: contentDir });
  const reimported = performance.now();

  const figures = {
    files: summary.files,
    created: summary.created,
    importSeconds: +((imported - started) / 1000).toFixed(2),
    indexSeconds: +((done - imported) / 1000).toFixed(2),
    totalSeconds: +((done - started) / 1000).toFixed(2),
    filesPerSecond: Math.round(summary.files / ((done - started) / 1000)),
    unchangedReimportSeconds: +((reimported - done) / 1000).toFixed(2),
    unchanged: again.unchanged,
    outboxApplied: indexed.applied,
    rssMb: Math.round(process.memoryUsage().rss / 1048576),
  };
  console.table(figures);
  console.log(JSON.stringify(figures));
  await handle.close();
} finally {
  await rm(root, { recursive: true, force: true });
}
