/**
 * Writes the demo bank's drill and inspection records, content/drills/*.yaml and
 * content/inspections/*.yaml, for 2025-05-01 to 2026-11-21 (the demo's "today" is 2026-11-22).
 * Deterministic (a seeded PRNG per system), so re-running it rewrites identical files; the files are
 * committed and imported on first start like the rest of content/.
 *
 *   npx tsx scripts/generate-demo-records.ts [content-dir]
 *
 * The story the coverage dashboard tells with these records (shared/domain.md, "Metrics" 2-3):
 * - custody-settlement (tier 1, daily) stopped being inspected after 2026-11-13: 9 days overdue;
 * - trading-oms (tier 2) has never been inspected; data-warehouse (tier 3) is a month overdue;
 * - internet-banking (tier 2) skipped three weekly inspections over Chinese New Year 2026;
 * - plan-data-centre-loss: its last drill (2026-10-17, the first live scenario C drill) failed; the
 *   last passed or partial one (the partial scenario C tabletop of 2026-02-11) is more than 182 days old, so
 *   the plan is overdue; the 2025-10-25 annual DR drill (scenario A) ended partial; the drills name the
 *   plan revision they exercised (1: the text before any drill results, 2: after the 2025-10-25 drill,
 *   content/revisions/plan-data-centre-loss/<n>.md; the current text, revision 3, was written after the
 *   2026-10-17 drill), so the plan page shows "changed since last drill";
 * - plan-market-data-vendor-outage: last drilled 2026-03-19, overdue for drilling (its tier-1 system
 *   fund-accounting-nav asks for a drill every 182 days);
 * - plan-network-partition-shanghai-krakow: due within days;
 * - warnings and failures cluster where the postmortems say things went wrong (ledger replication in
 *   June 2026, the payment gateway's certificate in March 2026, SSO/LDAP in September 2026), with
 *   findings and corrective actions, a part of them in Chinese.
 * Each plan's text (content/plans/*.md: "last exercise", the RTO tables) describes these drills;
 * change both together.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { stringify } from "yaml";

const START = Date.UTC(2025, 4, 1); // 2025-05-01
const END = Date.UTC(2026, 10, 21); // 2026-11-21, the last day with records
const DAY = 86_400_000;

/** mulberry32: a small, well-known deterministic PRNG. */
function prng(seedText: string): () => number {
  let seed = 0;
  for (const ch of seedText) seed = (Math.imul(seed, 31) + ch.codePointAt(0)!) | 0;
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (s: string) => Date.parse(`${s}T00:00:00Z`);

type Result = "ok" | "warning" | "failed";

interface Check {
  item: string;
  /** Note and finding when the check is not ok. */
  warning: string;
  failed: string;
}

interface InspectionPlan {
  system: string;
  /** Days between inspections. */
  every: number;
  /** Hour (UTC) and the inspector (automation job or person). */
  hourUtc: number;
  inspector: string;
  checks: Check[];
  /** Probability of a warning / failed result on an ordinary day. */
  pWarning: number;
  pFailed: number;
  /** Probability an inspection is skipped (nobody ran it). */
  pSkip: number;
  /** Last day inspected (default END). */
  lastDay?: string;
  /** Days (inclusive ranges) with no inspection. */
  gaps?: Array<[string, string]>;
  /** Ranges where one check keeps warning (or failing on the given days). */
  episodes?: Array<{ from: string; to: string; check: number; failedOn?: string[]; action?: Action }>;
}

interface Action {
  title: string;
  owner: string;
  dueDate: string;
  status: "open" | "in_progress" | "done" | "wont_do";
  closedAt?: string;
}

const ZH_LEDGER: Check[] = [
  { item: "主备复制延迟（Patroni）", warning: "同步备库复制延迟超过 30 秒", failed: "同步备库复制中断，Patroni 显示 sync_standby 为空" },
  { item: "夜间全量备份（pgBackRest）", warning: "全量备份耗时超过 4 小时", failed: "全量备份失败，归档 WAL 积压" },
  { item: "数据卷使用率", warning: "数据卷使用率超过 80%", failed: "数据卷使用率超过 95%" },
  { item: "日终批处理完成时间", warning: "日终批处理晚于 23:30 完成", failed: "日终批处理未完成，需人工干预" },
  { item: "证书有效期", warning: "ledger-rw 证书 30 天内到期", failed: "ledger-rw 证书已过期" },
];
const PAYMENTS: Check[] = [
  { item: "Authorisation error rate (5xx) over 24 h", warning: "5xx rate above 0.5% during the evening card peak", failed: "5xx rate above 2% for more than 10 minutes" },
  { item: "Kafka consumer lag (payments.decisions.v2)", warning: "consumer lag above 5,000 messages", failed: "consumer group stalled" },
  { item: "mTLS certificate expiry (card processor)", warning: "client certificate expires within 30 days", failed: "client certificate expires within 7 days" },
  { item: "Warm standby (sha-prod-k8s) in sync", warning: "standby image two releases behind", failed: "standby deployment failing readiness checks" },
  { item: "p99 latency under 300 ms", warning: "p99 latency 300-450 ms", failed: "p99 latency above 450 ms" },
];
const ZH_NAV: Check[] = [
  { item: "估值价格文件到达时间", warning: "彭博收盘价文件晚到 30 分钟以上", failed: "收盘价文件未到达，启用备用源" },
  { item: "净值计算批处理", warning: "净值批处理运行时间超过 90 分钟", failed: "净值批处理失败" },
  { item: "对账差异（托管 vs 会计）", warning: "存在未解释的对账差异", failed: "对账差异超过容忍阈值" },
  { item: "数据库备份", warning: "备份完成时间晚于 06:00", failed: "备份失败" },
];
const CUSTODY: Check[] = [
  { item: "Settlement instruction queue depth", warning: "more than 200 instructions pending after 10:00", failed: "queue not draining" },
  { item: "ChinaClear / Euroclear file transfers", warning: "one file transfer retried", failed: "file transfer failed after retries" },
  { item: "SWIFT MT54x acknowledgements", warning: "ACKs delayed more than 15 minutes", failed: "NAKs received" },
  { item: "Batch schedule (Control-M)", warning: "a job ran late", failed: "a job ended not OK" },
];
const GENERIC = (name: string): Check[] => [
  { item: `${name}: service health and error rate`, warning: "error rate above normal", failed: "service unhealthy" },
  { item: `${name}: backups and restore test`, warning: "backup late", failed: "backup failed" },
  { item: `${name}: capacity (CPU, memory, disk)`, warning: "disk above 80%", failed: "disk above 95%" },
  { item: `${name}: certificates and credentials`, warning: "a certificate expires within 30 days", failed: "a certificate has expired" },
];

const INSPECTIONS: InspectionPlan[] = [
  {
    system: "core-ledger",
    every: 1,
    hourUtc: 1,
    inspector: "巡检脚本 ledger-daily-check（上海 L1 复核）",
    checks: ZH_LEDGER,
    pWarning: 0.05,
    pFailed: 0.004,
    pSkip: 0.015,
    episodes: [
      {
        from: "2026-06-08",
        to: "2026-06-19",
        check: 0,
        failedOn: ["2026-06-11"],
        action: { title: "为 Patroni 增加双主检测告警（两个节点同时 role=primary）", owner: "Chen Wei", dueDate: "2026-07-15", status: "done", closedAt: "2026-07-02T08:00:00Z" },
      },
      { from: "2026-10-26", to: "2026-10-30", check: 2, action: { title: "扩容 ledger 数据卷至 4 TB", owner: "Zhang Min", dueDate: "2026-12-15", status: "in_progress" } },
    ],
  },
  {
    system: "payment-gateway",
    every: 1,
    hourUtc: 7,
    inspector: "pgw-daily-inspection (Kraków L1)",
    checks: PAYMENTS,
    pWarning: 0.06,
    pFailed: 0.005,
    pSkip: 0.01,
    episodes: [
      {
        from: "2026-02-20",
        to: "2026-03-09",
        check: 2,
        failedOn: ["2026-03-08", "2026-03-09"],
        action: { title: "Automate mTLS certificate renewal with cert-manager and alert at 30/14/7 days", owner: "Katarzyna Nowak", dueDate: "2026-04-30", status: "done", closedAt: "2026-04-22T10:00:00Z" },
      },
    ],
  },
  {
    system: "fund-accounting-nav",
    every: 1,
    hourUtc: 10,
    inspector: "估值组日检（上海）",
    checks: ZH_NAV,
    pWarning: 0.05,
    pFailed: 0.004,
    pSkip: 0.02,
    episodes: [
      {
        from: "2025-11-17",
        to: "2025-11-21",
        check: 0,
        failedOn: ["2025-11-19"],
        action: { title: "价格文件到达监控：18:15 未到即告警并切换备用源", owner: "Liu Yang", dueDate: "2025-12-31", status: "done", closedAt: "2025-12-18T09:00:00Z" },
      },
    ],
  },
  {
    system: "custody-settlement",
    every: 1,
    hourUtc: 2,
    inspector: "custody-daily-check (Shanghai L1)",
    checks: CUSTODY,
    pWarning: 0.05,
    pFailed: 0.004,
    pSkip: 0.02,
    lastDay: "2026-11-13",
    episodes: [
      {
        from: "2026-11-09",
        to: "2026-11-13",
        check: 3,
        action: { title: "Move the custody daily check from the retired Jenkins agent to the platform scheduler", owner: "Wang Hao", dueDate: "2026-11-20", status: "open" },
      },
    ],
  },
  { system: "swift-connector", every: 7, hourUtc: 8, inspector: "Anna Kowalska", checks: GENERIC("SWIFT Alliance Access"), pWarning: 0.1, pFailed: 0.01, pSkip: 0.02 },
  { system: "market-data-feed", every: 7, hourUtc: 1, inspector: "行情组周检（上海）", checks: GENERIC("行情数据"), pWarning: 0.1, pFailed: 0.01, pSkip: 0.03 },
  {
    system: "internet-banking",
    every: 7,
    hourUtc: 8,
    inspector: "Piotr Zieliński",
    checks: GENERIC("Internet Banking"),
    pWarning: 0.1,
    pFailed: 0.01,
    pSkip: 0.02,
    gaps: [["2026-02-09", "2026-03-01"]],
  },
  {
    system: "identity-sso",
    every: 7,
    hourUtc: 4,
    inspector: "Rahul Mehta",
    checks: GENERIC("Keycloak / AD"),
    pWarning: 0.1,
    pFailed: 0.01,
    pSkip: 0.02,
    episodes: [
      {
        from: "2026-09-01",
        to: "2026-09-21",
        check: 0,
        failedOn: ["2026-09-14"],
        action: { title: "Add a second LDAPS endpoint to the Keycloak user federation and test fail-over monthly", owner: "Priya Sharma", dueDate: "2026-10-31", status: "in_progress" },
      },
    ],
  },
  { system: "monitoring-platform", every: 7, hourUtc: 4, inspector: "Ananya Iyer", checks: GENERIC("Prometheus / Alertmanager"), pWarning: 0.1, pFailed: 0.01, pSkip: 0.02 },
  { system: "cmdb", every: 30, hourUtc: 5, inspector: "Ananya Iyer", checks: GENERIC("CMDB"), pWarning: 0.15, pFailed: 0, pSkip: 0 },
  { system: "data-warehouse", every: 30, hourUtc: 5, inspector: "Rahul Mehta", checks: GENERIC("Data warehouse"), pWarning: 0.2, pFailed: 0.05, pSkip: 0, lastDay: "2026-09-30" },
  { system: "regulatory-reporting", every: 90, hourUtc: 2, inspector: "监管报送组", checks: GENERIC("监管报送"), pWarning: 0.2, pFailed: 0, pSkip: 0 },
  // trading-oms: never inspected (a tier-2 gap on the dashboard).
];

interface InspectionRecord {
  inspectedAt: string;
  result: Result;
  inspector?: string;
  checklist?: Array<{ item: string; result: Result; note: string }>;
  findings?: string[];
  correctiveActions?: Action[];
}

function inspectionsFor(plan: InspectionPlan): InspectionRecord[] {
  const random = prng(plan.system);
  const last = dayMs(plan.lastDay ?? day(END));
  const out: InspectionRecord[] = [];
  // Start on the first day of the period, then every `every` days; weekly inspections on a fixed weekday.
  for (let t = START; t <= last; t += plan.every * DAY) {
    const d = day(t);
    const skip = random() < plan.pSkip;
    if (plan.gaps?.some(([a, b]) => d >= a && d <= b)) continue;
    const minute = Math.floor(random() * 50);
    const at = t + plan.hourUtc * 3_600_000 + minute * 60_000;
    const episode = plan.episodes?.find((e) => d >= e.from && d <= e.to);
    const roll = random();
    if (skip && !episode && t < last - 14 * DAY) continue;
    let result: Result = roll < plan.pFailed ? "failed" : roll < plan.pFailed + plan.pWarning ? "warning" : "ok";
    let checkIndex = Math.floor(random() * plan.checks.length);
    if (episode) {
      checkIndex = episode.check;
      result = episode.failedOn?.includes(d) ? "failed" : "warning";
    }
    const record: InspectionRecord = { inspectedAt: iso(at), result };
    if (result !== "ok") {
      const check = plan.checks[checkIndex]!;
      const note = result === "failed" ? check.failed : check.warning;
      record.checklist = [{ item: check.item, result, note }];
      record.findings = [note];
      if (episode?.action && (episode.failedOn?.[0] === d || (!episode.failedOn && d === episode.from))) {
        record.correctiveActions = [episode.action];
      }
    }
    out.push(record);
  }
  return out;
}

interface DrillRecord {
  heldAt: string;
  scenario: string;
  type: "tabletop" | "simulation" | "live_failover";
  outcome: "passed" | "partial" | "failed";
  recoveryMinutes: number | null;
  /** The plan revision exercised, when it is not the current one (content/revisions/<plan>/<n>.md). */
  planRevision?: number;
  participants: string[];
  findings?: string[];
  notes?: string;
  correctiveActions?: Action[];
}

const DRILLS: Record<string, DrillRecord[]> = {
  "plan-core-ledger-db-failover": [
    {
      heldAt: "2025-06-14T18:00:00Z",
      scenario: "计划内主备切换（操作系统补丁）",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 12,
      participants: ["Chen Wei", "Zhang Min", "Li Na", "DBA on-call"],
      findings: ["切换后 PgBouncer 连接池需要 3 分钟才全部重建"],
    },
    {
      heldAt: "2025-12-06T17:30:00Z",
      scenario: "主库 ledger-db-01 主机宕机",
      type: "live_failover",
      outcome: "partial",
      recoveryMinutes: 22,
      participants: ["Chen Wei", "Zhang Min", "Wang Hao", "EnterpriseDB Support"],
      findings: ["Patroni 切换在 40 秒内完成，但 VIP 漂移脚本卡住，手工介入后恢复，超出 RTO 15 分钟", "演练手册中的 pg_ctl promote 步骤与 Patroni 管理冲突"],
      correctiveActions: [
        { title: "删除预案中的手工 pg_ctl promote 步骤，VIP 只由 Patroni 回调移动", owner: "Chen Wei", dueDate: "2026-01-31", status: "done", closedAt: "2026-07-02T08:00:00Z" },
        { title: "为 VIP 回调脚本增加超时与告警", owner: "Zhang Min", dueDate: "2026-02-28", status: "done", closedAt: "2026-02-20T09:30:00Z" },
      ],
    },
    {
      heldAt: "2026-07-15T07:00:00Z",
      scenario: "双主隔离并恢复（桌面推演，第 7 版预案）",
      type: "tabletop",
      outcome: "passed",
      recoveryMinutes: null,
      participants: ["Chen Wei", "Zhang Min", "Li Na", "Wang Haoran"],
    },
    {
      heldAt: "2026-08-22T17:00:00Z",
      scenario: "同城切换：主库切换至张江 SHA-2",
      type: "live_failover",
      outcome: "passed",
      recoveryMinutes: 6,
      participants: ["Chen Wei", "Zhang Min", "Li Na", "Rahul Mehta"],
      findings: ["切换期间 2 笔日终批处理任务需要重跑（已在预案中说明）"],
    },
  ],
  "plan-data-centre-loss": [
    {
      heldAt: "2025-06-14T06:00:00Z",
      scenario: "Scenario B: loss of the Kraków colocation; payment gateway to its sha-prod-k8s standby, SWIFT to Warsaw",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 17,
      planRevision: 1,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Marek Lewandowski", "Priya Sharma"],
      findings: ["Payment gateway served from the Shanghai cell after 17 minutes, within its own 20-minute RTO"],
      notes: "Scenario B moves only the payment gateway and SWIFT; the plan's strictest RTO (core-ledger, 15 minutes) does not apply to it.",
    },
    {
      heldAt: "2025-10-25T01:00:00Z",
      scenario: "Annual DR drill, scenario A: loss of SHA-1 Waigaoqiao, tier-1 systems recovered in SHA-2 Zhangjiang",
      type: "live_failover",
      outcome: "partial",
      recoveryMinutes: 52,
      planRevision: 1,
      participants: ["Gao Jian", "Chen Wei", "Li Na", "Katarzyna Nowak", "Liu Yang", "Zhou Min", "Xu Ting", "Priya Sharma"],
      findings: [
        "fund-accounting-nav took 52 minutes against its 45-minute RTO: the Control-M agent on the SHA-2 NAV hosts was not registered",
        "core-ledger 4 minutes with no lost postings; payment-gateway in stand-in for 4 minutes; custody-settlement 28 minutes",
        "Runbook order for custody-settlement and core-ledger needed one swap",
      ],
      correctiveActions: [
        { title: "Register the Control-M agents on the SHA-2 NAV hosts and add the registration to the daily NAV inspection", owner: "Zhou Min", dueDate: "2025-11-30", status: "done", closedAt: "2025-11-14T08:00:00Z" },
        { title: "Plan review: start step A6 (NAV) in parallel with the ledger, not after it", owner: "Chen Wei", dueDate: "2026-03-31", status: "open" },
      ],
    },
    {
      heldAt: "2026-02-11T06:00:00Z",
      scenario: "Scenario C (tabletop): both Shanghai sites lost, regional failover to Suzhou",
      type: "tabletop",
      outcome: "partial",
      recoveryMinutes: null,
      planRevision: 2,
      participants: ["Gao Jian", "Yang Fan", "Chen Wei", "Li Na", "Liu Yang", "Priya Sharma"],
      findings: ["About 240 minutes for fund-accounting-nav and custody-settlement in Suzhou, beyond their Tier 1 RTO: the accepted gap; the ledger alone about 60 minutes"],
    },
    {
      heldAt: "2026-10-17T01:00:00Z",
      scenario: "Scenario C, first live drill: core ledger and payment gateway fail over to the Suzhou DR site",
      type: "live_failover",
      outcome: "failed",
      recoveryMinutes: 95,
      planRevision: 2,
      participants: ["Gao Jian", "Chen Wei", "Katarzyna Nowak", "Liu Yang", "Priya Sharma", "Wang Hao"],
      findings: [
        "Suzhou DR replica ledger-db-03 was 40 minutes behind: WAL archive shipping had silently stopped",
        "DNS TTL of ledger-rw was 3600 s instead of 60 s; clients kept the old address",
        "The payment gateway's standby in sha-prod-k8s could not reach the DR ledger (firewall rule missing)",
      ],
      notes: "Drill stopped after 95 minutes and rolled back to SHA-1. A repeat is planned once the actions are done.",
      correctiveActions: [
        { title: "Alert on WAL archive shipping lag to the Suzhou replica (> 5 minutes)", owner: "Chen Wei", dueDate: "2026-11-15", status: "open" },
        { title: "Lower the TTL of ledger-rw and pgw endpoints to 60 s", owner: "Priya Sharma", dueDate: "2026-11-07", status: "done", closedAt: "2026-11-05T06:00:00Z" },
        { title: "Open firewall path sha-prod-k8s -> ledger-db-03 and test it quarterly", owner: "Katarzyna Nowak", dueDate: "2026-12-15", status: "in_progress" },
      ],
    },
  ],
  "plan-identity-sso-outage": [
    {
      heldAt: "2025-09-20T04:00:00Z",
      scenario: "Keycloak cluster down: break-glass access for operators",
      type: "tabletop",
      outcome: "passed",
      recoveryMinutes: null,
      participants: ["Priya Sharma", "Rahul Mehta", "Ananya Iyer", "Piotr Zieliński"],
      findings: ["Break-glass envelope for Kraków was out of date"],
      correctiveActions: [{ title: "Refresh the Kraków break-glass envelope and add it to the quarterly check", owner: "Piotr Zieliński", dueDate: "2025-10-31", status: "done", closedAt: "2025-10-20T12:00:00Z" }],
    },
    {
      heldAt: "2026-09-26T04:00:00Z",
      scenario: "Active Directory (LDAPS) unreachable from Keycloak",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 41,
      participants: ["Priya Sharma", "Rahul Mehta", "Ananya Iyer"],
      findings: ["Cached logins kept internet banking working; new operator logins needed the break-glass path"],
    },
  ],
  "plan-market-data-vendor-outage": [
    {
      heldAt: "2025-11-08T02:00:00Z",
      scenario: "彭博数据中断，切换至路孚特与万得备用源",
      type: "tabletop",
      outcome: "passed",
      recoveryMinutes: null,
      participants: ["Liu Yang", "Zhou Jie", "Sun Li"],
      findings: ["备用源的债券价格字段映射未在预案中写明"],
      correctiveActions: [{ title: "在预案附录中补充路孚特/万得字段映射表", owner: "Zhou Jie", dueDate: "2026-01-15", status: "open" }],
    },
    {
      heldAt: "2026-03-19T09:00:00Z",
      scenario: "万得文件延迟 + 彭博断开 40 分钟，切换备用源",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 17,
      participants: ["Liu Yang", "Zhou Jie", "Sun Li"],
    },
  ],
  "plan-nav-late-publication": [
    {
      heldAt: "2025-07-25T10:00:00Z",
      scenario: "估值价格迟到导致净值无法在 20:00 前发布",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 35,
      participants: ["Liu Yang", "Sun Li", "Zhou Jie"],
    },
    {
      heldAt: "2026-01-23T10:00:00Z",
      scenario: "净值批处理失败，手工重算并通知基金管理人",
      type: "simulation",
      outcome: "partial",
      recoveryMinutes: 52,
      participants: ["Liu Yang", "Sun Li", "Zhou Jie", "Anna Kowalska"],
      findings: ["通知基金管理人的联系人名单有 3 家过期", "手工重算耗时超过 RTO 45 分钟"],
      correctiveActions: [{ title: "每季度核对基金管理人联系人名单", owner: "Sun Li", dueDate: "2026-03-31", status: "done", closedAt: "2026-03-20T08:00:00Z" }],
    },
    {
      heldAt: "2026-05-21T10:00:00Z",
      scenario: "资金余额推送延迟 50 分钟 + 2 个 worker 节点失效",
      type: "simulation",
      outcome: "partial",
      recoveryMinutes: null,
      participants: ["Liu Yang", "Sun Li", "Zhou Jie"],
      findings: ["全部产品 20:41 才发布，晚于 20:00：worker 减少时没有先算有 20:00 发布义务的产品"],
      correctiveActions: [{ title: "净值计算优先级队列接口化：先算有 20:00 发布义务的产品", owner: "Sun Li", dueDate: "2026-06-30", status: "done", closedAt: "2026-06-26T08:00:00Z" }],
    },
    {
      heldAt: "2026-07-17T10:00:00Z",
      scenario: "估值价格迟到导致净值无法在 20:00 前发布",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 38,
      participants: ["Liu Yang", "Sun Li", "Zhou Jie"],
    },
  ],
  "plan-network-partition-shanghai-krakow": [
    {
      heldAt: "2025-08-30T08:00:00Z",
      scenario: "WAN link Shanghai-Kraków down: payment gateway stand-in mode",
      type: "tabletop",
      outcome: "passed",
      recoveryMinutes: null,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Piotr Zieliński", "Chen Wei"],
    },
    {
      heldAt: "2026-05-16T07:00:00Z",
      scenario: "IPsec backup link Shanghai-Kraków switched live (primary MPLS circuit shut)",
      type: "live_failover",
      outcome: "passed",
      recoveryMinutes: 7,
      participants: ["Katarzyna Nowak", "Vikram Iyer", "Piotr Zieliński"],
      findings: ["7 minutes to the first payment message delivered over the backup link"],
    },
    {
      heldAt: "2026-05-30T07:00:00Z",
      scenario: "WAN link Shanghai-Kraków down: payment gateway stand-in mode",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 17,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Piotr Zieliński"],
      findings: ["Stand-in limits were applied after 9 minutes; target is 5"],
    },
  ],
  "plan-payment-gateway-degradation": [
    {
      heldAt: "2025-05-24T06:00:00Z",
      scenario: "Kafka broker loss: shed load and fail over consumers",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 14,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Ananya Iyer"],
    },
    {
      heldAt: "2025-11-22T06:00:00Z",
      scenario: "Fail over the payment gateway to the sha-prod-k8s warm standby",
      type: "live_failover",
      outcome: "passed",
      recoveryMinutes: 18,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Piotr Zieliński", "Rahul Mehta"],
    },
    {
      heldAt: "2026-05-28T06:00:00Z",
      scenario: "Bad release plus Kafka consumer lag: roll back and move traffic to the Shanghai cell",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 14,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Ananya Iyer"],
      findings: ["Rollback done in 6 minutes; traffic served from the Shanghai cell after 14 minutes"],
    },
    {
      heldAt: "2026-06-13T06:00:00Z",
      scenario: "Expired mTLS client certificate towards the card processor",
      type: "simulation",
      outcome: "partial",
      recoveryMinutes: 26,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Piotr Zieliński"],
      findings: ["Emergency certificate issuance needed a second approver who was not on call"],
      correctiveActions: [{ title: "Add a deputy approver for emergency certificates to the on-call rota", owner: "Katarzyna Nowak", dueDate: "2026-08-31", status: "open" }],
    },
  ],
  "plan-swift-outage": [
    {
      heldAt: "2025-09-13T07:00:00Z",
      scenario: "Alliance Access down: Alliance Lite2 fallback for urgent MT103/MT202",
      type: "tabletop",
      outcome: "passed",
      recoveryMinutes: null,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Wang Hao"],
    },
    {
      heldAt: "2026-09-12T07:00:00Z",
      scenario: "IBM MQ queue manager failure between custody settlement and SWIFT",
      type: "simulation",
      outcome: "passed",
      recoveryMinutes: 27,
      participants: ["Katarzyna Nowak", "Anna Kowalska", "Wang Hao", "Liu Yang"],
    },
  ],
};

function yamlRecord(record: object): string {
  const keys = Object.keys(record);
  if (keys.length === 2 && keys.includes("inspectedAt") && keys.includes("result")) {
    const r = record as { inspectedAt: string; result: string };
    return `  - ${r.inspectedAt} ${r.result}\n`;
  }
  return stringify([record], { lineWidth: 0 })
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => `  ${line}\n`)
    .join("");
}

async function main() {
  const root = path.resolve(process.argv[2] ?? "content");
  const header = "# Generated by scripts/generate-demo-records.ts (deterministic); format in content/README.md.\n";
  await mkdir(path.join(root, "inspections"), { recursive: true });
  await mkdir(path.join(root, "drills"), { recursive: true });
  let inspectionCount = 0;
  for (const plan of INSPECTIONS) {
    const records = inspectionsFor(plan);
    inspectionCount += records.length;
    const text =
      header +
      stringify({ defaults: { system: plan.system, inspector: plan.inspector } }, { lineWidth: 0 }) +
      "records:\n" +
      records.map(yamlRecord).join("");
    await writeFile(path.join(root, "inspections", `${plan.system}.yaml`), text);
  }
  let drillCount = 0;
  for (const [planSlug, records] of Object.entries(DRILLS)) {
    drillCount += records.length;
    const text = header + stringify({ defaults: { plan: planSlug } }, { lineWidth: 0 }) + "records:\n" + records.map(yamlRecord).join("");
    await writeFile(path.join(root, "drills", `${planSlug}.yaml`), text);
  }
  console.log(`wrote ${inspectionCount} inspections (${INSPECTIONS.length} files) and ${drillCount} drills (${Object.keys(DRILLS).length} files) under ${root}`);
}

await main();
