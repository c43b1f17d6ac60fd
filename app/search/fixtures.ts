/**
 * A small, realistic document set for the search contract suite (`contract.ts`): English and
 * Chinese runbooks, contingency plans, postmortems, an inspection, a drill, an article, one draft
 * and one archived document, over five systems of tiers 1-3.
 *
 * Each document exists for at least one contract assertion; the comment above it says which.
 */
import type { SearchDocument } from "./types";

function doc(fields: Partial<SearchDocument> & Pick<SearchDocument, "id" | "title" | "kind" | "body" | "updatedAt">): SearchDocument {
  return {
    slug: fields.id,
    status: "published",
    systems: [],
    systemNames: [],
    teams: [],
    tiers: [],
    tags: [],
    alerts: [],
    headings: [],
    sourcePath: `content/docs/${fields.id}.md`,
    ...fields,
  };
}

const K8S = { systems: ["k8s-platform"], systemNames: ["Kubernetes Platform"], teams: ["platform-team"], tiers: [2] };
const LEDGER = { systems: ["core-ledger"], systemNames: ["Core Ledger", "核心账务系统"], teams: ["ledger-team", "dba-team"], tiers: [1] };
const PAYMENTS = { systems: ["payment-gateway"], systemNames: ["Payment Gateway", "支付网关"], teams: ["payments-team"], tiers: [1] };
const BANKING = { systems: ["internet-banking"], systemNames: ["Internet Banking"], teams: ["digital-team"], tiers: [2] };
const BATCH = { systems: ["batch-scheduler"], systemNames: ["Batch Scheduler"], teams: ["ops-team"], tiers: [3] };
const EVENTS = { systems: ["event-bus"], systemNames: ["Event Bus"], teams: ["platform-team"], tiers: [2] };

/** Exact / typo / prefix alert-name search; English symptom phrase ("pod keeps restarting"). */
export const KUBE_CRASHLOOP = doc({
  id: "rb-kube-pod-crashlooping",
  title: "KubePodCrashLooping",
  kind: "runbook",
  ...K8S,
  tags: ["kubernetes", "pods"],
  alerts: ["KubePodCrashLooping"],
  headings: ["Symptoms", "Diagnosis", "Mitigation"],
  body:
    "A pod keeps restarting and Kubernetes reports CrashLoopBackOff for the container. " +
    "Check the container logs with kubectl logs --previous and look for OOMKilled in the pod events. " +
    "If the crash started right after a release, roll back the deployment and page the owning team. " +
    "Pod 处于 CrashLooping 状态时，先确认最近是否有发布。",
  updatedAt: "2024-05-10T08:00:00.000Z",
});

/** Chinese phrase "主备延迟"; Chinese snippet highlighting. */
export const LEDGER_LAG_ZH = doc({
  id: "rb-ledger-db-lag-zh",
  title: "核心账务数据库主备延迟",
  kind: "runbook",
  ...LEDGER,
  tags: ["mysql", "主备"],
  alerts: ["MySQLReplicationLagHigh"],
  headings: ["现象", "排查步骤", "处置"],
  body:
    "告警触发时，核心账务数据库主备复制延迟超过 30 秒，柜面查询可能读到旧余额。" +
    "先在从库执行 SHOW REPLICA STATUS 查看延迟秒数，确认是否有大事务或长时间锁等待。" +
    "如果延迟持续扩大，联系 DBA 值班，并评估是否暂停批量任务以减轻主库压力。",
  updatedAt: "2024-06-01T02:30:00.000Z",
});

/** Prefix "replic"; English symptom phrase ("stale balances"). */
export const LEDGER_LAG_EN = doc({
  id: "rb-ledger-db-replication-lag",
  title: "Core ledger database replication lag",
  kind: "runbook",
  ...LEDGER,
  tags: ["mysql", "database"],
  alerts: ["MySQLReplicationLagHigh"],
  headings: ["Symptoms", "Checks", "Mitigation"],
  body:
    "When the standby falls behind the primary, branch tellers read stale balances from the replica. " +
    "Check SHOW REPLICA STATUS on the standby, look for long transactions on the primary, " +
    "and pause non-critical batch jobs until the lag is back under five seconds.",
  updatedAt: "2024-06-02T09:15:00.000Z",
});

/** Chinese phrase "数据库切换". */
export const LEDGER_FAILOVER_ZH = doc({
  id: "cp-ledger-db-failover-zh",
  title: "核心账务数据库主备切换应急预案",
  kind: "contingency_plan",
  ...LEDGER,
  tags: ["切换", "容灾"],
  headings: ["启动条件", "切换步骤", "回切"],
  body:
    "当主库不可用且预计 15 分钟内无法恢复时，由值班经理决策执行数据库切换。" +
    "切换前确认从库数据已追平并冻结批量任务，切换后验证账务核对结果。RTO 30 分钟，RPO 0。",
  updatedAt: "2024-04-20T06:00:00.000Z",
});

/** Database failover plan (English); upsert target. */
export const PAYMENTS_FAILOVER = doc({
  id: "cp-payment-db-failover",
  title: "Database failover plan for the payment gateway",
  kind: "contingency_plan",
  ...PAYMENTS,
  tags: ["postgresql", "failover"],
  headings: ["Trigger", "Failover steps", "Failback"],
  body:
    "Promote the standby PostgreSQL instance when the primary is lost for more than ten minutes. " +
    "Fence the old primary, repoint the connection string in the secrets store and run the smoke payments. " +
    "RTO 20 minutes, RPO under one minute.",
  updatedAt: "2024-03-12T10:00:00.000Z",
});

/** English symptom phrase ("connection pool exhausted"). */
export const PAYMENTS_TIMEOUTS = doc({
  id: "rb-payment-gateway-timeouts",
  title: "Payment gateway timeouts",
  kind: "runbook",
  ...PAYMENTS,
  tags: ["payments", "latency"],
  alerts: ["PaymentGatewayLatencyHigh"],
  headings: ["Symptoms", "Likely causes", "Mitigation"],
  body:
    "Card payments time out at the gateway and clients see HTTP 504. The usual cause is the connection pool " +
    "being exhausted after a slow downstream acquirer: threads wait for a free connection and requests queue. " +
    "Check pool usage on the dashboard, restart stuck workers, and raise the pool size only after confirming " +
    "the acquirer is healthy.",
  updatedAt: "2024-05-28T14:45:00.000Z",
});

/** Chinese postmortem on a mixed-language system. */
export const PAYMENTS_POSTMORTEM_ZH = doc({
  id: "pm-payment-gateway-timeouts-zh",
  title: "支付网关超时事故复盘",
  kind: "postmortem",
  ...PAYMENTS,
  tags: ["复盘", "连接池"],
  headings: ["时间线", "根因", "改进措施"],
  body:
    "4 月 2 日上午支付网关出现大量超时，持续 42 分钟。根因是下游收单机构响应变慢导致连接池耗尽。" +
    "改进措施：连接池增加告警阈值，PaymentGatewayLatencyHigh 告警接入值班电话。",
  updatedAt: "2024-04-05T03:00:00.000Z",
});

/** Title match of "certificate" (outranks the body-only match in the postmortem below). */
export const TLS_CERT = doc({
  id: "rb-internet-banking-tls-certificate",
  title: "TLS certificate expiry on internet banking",
  kind: "runbook",
  ...BANKING,
  tags: ["tls"],
  alerts: ["SSLCertExpiringSoon"],
  headings: ["Renewal"],
  body: "Request a renewal through the internal CA portal, deploy it to both load balancers and verify the chain with openssl.",
  updatedAt: "2024-02-01T12:00:00.000Z",
});

/** Body-only match of "certificate". */
export const BANKING_POSTMORTEM = doc({
  id: "pm-internet-banking-login-outage",
  title: "Internet banking login outage",
  kind: "postmortem",
  ...BANKING,
  tags: ["login"],
  headings: ["Timeline", "Root cause", "Corrective actions"],
  body:
    "Customers could not log in for 37 minutes. The root cause was an expired intermediate certificate on the " +
    "load balancer. Corrective action: add expiry monitoring for every chain element.",
  updatedAt: "2024-02-03T18:20:00.000Z",
});

/** Alert match of "NodeDiskPressure" (outranks the body-only mention in the inspection). */
export const NODE_DISK = doc({
  id: "rb-worker-storage-exhaustion",
  title: "Worker storage exhaustion",
  kind: "runbook",
  ...K8S,
  tags: ["storage"],
  alerts: ["NodeDiskPressure"],
  headings: ["Free space", "Evict images"],
  body: "Prune unused images with crictl, clear old logs under /var/log and cordon the worker if usage stays above 90 percent.",
  updatedAt: "2024-01-15T07:00:00.000Z",
});

/** Body-only mention of NodeDiskPressure; tier 3 / ops-team filters. */
export const BATCH_INSPECTION = doc({
  id: "insp-batch-scheduler-q2",
  title: "Q2 inspection of the batch scheduler",
  kind: "inspection_report",
  ...BATCH,
  tags: ["inspection"],
  headings: ["Findings", "Follow-up"],
  body:
    "During the inspection we saw one NodeDiskPressure alert on the scheduler host and two jobs without an owner. " +
    "Both jobs were assigned to the operations team.",
  updatedAt: "2024-07-01T09:00:00.000Z",
});

/** Tag match of "kafka" (outranks the body-only mention in the webhook article). */
export const EVENT_BUS_DRILL = doc({
  id: "drill-event-bus-consumer-lag",
  title: "Event bus consumer lag drill",
  kind: "drill_report",
  ...EVENTS,
  tags: ["kafka", "consumer-lag"],
  headings: ["Scenario", "Results"],
  body: "We paused the settlement consumers for ten minutes; lag grew to two million messages and drained in eight minutes.",
  updatedAt: "2024-06-20T13:00:00.000Z",
});

/** HTML in the body must come back escaped; "&" in the title too. Body-only "kafka". */
export const WEBHOOK_ARTICLE = doc({
  id: "article-webhook-retries",
  title: "Webhook retries & backoff",
  kind: "article",
  ...EVENTS,
  tags: ["webhooks"],
  headings: ["Retry policy"],
  body:
    "Outbound events are published to kafka before delivery. A payload such as <script>alert('x')</script> is " +
    "rejected by the webhook validator; accepted deliveries are retried with exponential backoff for 24 hours.",
  updatedAt: "2024-03-01T08:00:00.000Z",
});

/** Draft: visible by default (only archived documents are hidden). */
export const DDOS_DRAFT = doc({
  id: "cp-payment-gateway-ddos",
  title: "Payment gateway DDoS contingency plan",
  kind: "contingency_plan",
  status: "draft",
  ...PAYMENTS,
  tags: ["ddos", "security"],
  headings: ["Detection", "Scrubbing"],
  body: "Divert traffic to the scrubbing provider when inbound requests exceed five times the baseline.",
  updatedAt: "2024-07-05T11:00:00.000Z",
});

/** Archived: hidden unless a status filter asks for it. */
export const MAINFRAME_ARCHIVED = doc({
  id: "rb-legacy-mainframe-restart",
  title: "Legacy mainframe ledger restart",
  kind: "runbook",
  status: "archived",
  ...LEDGER,
  tags: ["mainframe"],
  headings: ["Restart"],
  body: "IPL the mainframe ledger region from the operator console. Retired after the migration to the core ledger.",
  updatedAt: "2024-07-10T00:00:00.000Z",
});

/** Multi-system postmortem (tiers 1 and 3, two teams). */
export const BATCH_POSTMORTEM = doc({
  id: "pm-ledger-batch-overrun",
  title: "Postmortem: core ledger end-of-day batch overrun",
  kind: "postmortem",
  systems: ["core-ledger", "batch-scheduler"],
  systemNames: ["Core Ledger", "Batch Scheduler"],
  teams: ["ledger-team", "ops-team"],
  tiers: [1, 3],
  tags: ["batch"],
  headings: ["Timeline", "Root cause", "Corrective actions"],
  body:
    "The end-of-day batch finished 95 minutes late because interest accrual ran against an unindexed table. " +
    "Branch opening was delayed in two regions. Corrective action: add the index and a runtime alert.",
  updatedAt: "2024-04-01T05:00:00.000Z",
});

/** All fixtures, in no particular order. */
export const SEARCH_FIXTURES: readonly SearchDocument[] = [
  KUBE_CRASHLOOP,
  LEDGER_LAG_ZH,
  LEDGER_LAG_EN,
  LEDGER_FAILOVER_ZH,
  PAYMENTS_FAILOVER,
  PAYMENTS_TIMEOUTS,
  PAYMENTS_POSTMORTEM_ZH,
  TLS_CERT,
  BANKING_POSTMORTEM,
  NODE_DISK,
  BATCH_INSPECTION,
  EVENT_BUS_DRILL,
  WEBHOOK_ARTICLE,
  DDOS_DRAFT,
  MAINFRAME_ARCHIVED,
  BATCH_POSTMORTEM,
];
