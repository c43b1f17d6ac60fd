/**
 * npm run bench:coverage — the coverage dashboard's server time at bank scale (issue 4, section 5).
 *
 *   DATABASE_URL=postgres://user@host:5432/db npm run bench:coverage -- [--runs=30] [--reuse]
 *
 * Needs a PostgreSQL database of its own (DATABASE_URL; it refuses to run without one): applies the
 * migrations, empties the catalog and document tables, and generates in SQL (generate_series, a fixed
 * random seed) 2,000 systems (20 teams, tiers 1-4, 3 % retired), 6,000 contingency plans (1-3
 * revisions each over three years, 1-3 linked systems, 8 % drafts and 5 % archived), 3,000 runbooks,
 * 4,000 plan reviews, 40,000 drills and 500,000 inspections over the last two years. `--reuse` keeps
 * data that is already there (same counts) instead of generating it again.
 *
 * Then it times `coverageReport` — the function the /coverage loader calls — for the whole scope as of
 * today with the 12-month trend, `--runs` times each, alternating, after two warm-up runs:
 * - cold: caches cleared first with `clearCoverageCaches` (as after a restart, a catalog edit, or for
 *   a scope or month not loaded yet: catalog and trend computed again);
 * - warm: the same load again, no write between (catalog and past trend months cached);
 * - after a write: an inspection dated now is inserted first (as `POST /api/v1/inspections` does;
 *   the past months stay cached, the as-of day is read again), and deleted after the run;
 * - after a late record: an inspection dated the 20th of last month is inserted first (last
 *   month-end and the as-of day are read again, the earlier months kept), and deleted after the run;
 * prints p50/p95/max of each (target: p95 under 500 ms), the as-of day alone, the cold path's split
 * between catalog, SQL and formulas (medians of 5 runs), and the figures as one JSON object on the last line.
 */
import os from "node:os";
import postgres from "postgres";
import { openDatabase } from "../db/client";
import {
  clearCoverageCaches,
  coverageAsOfDays,
  coverageReport,
  loadCoverageCatalog,
  loadCoverageInputs,
  reportFromInputs,
} from "../app/metrics/coverage.server";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? "true"] as const;
  }),
);
const RUNS = Number(args.get("runs") ?? 30);
const REUSE = args.get("reuse") === "true";
const COUNTS = { systems: 2_000, plans: 6_000, runbooks: 3_000, reviews: 4_000, drills: 40_000, inspections: 500_000 };

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "bench:coverage needs PostgreSQL: set DATABASE_URL to a database it may fill and empty, e.g.\n" +
      "  DATABASE_URL=postgres://drillbook@127.0.0.1:5432/bench_coverage npm run bench:coverage",
  );
  process.exit(2);
}

/** Generation, one statement at a time on one connection (so `setseed` applies to all of it). */
const GENERATE = [
  `select setseed(0.42)`,
  `truncate table drills, inspections, plan_reviews, document_systems, document_tags, runbook_alerts, wiki_links, revisions, search_outbox, documents, system_dependencies, systems, teams, slas restart identity cascade`,
  `insert into slas (tier, availability, rto_minutes, rpo_minutes, drill_interval_days, inspection_interval_days, plan_review_interval_days, response_minutes) values
     (1, 0.9995, 30, 0, 182, 1, 182, '{"SEV1":5,"SEV2":15,"SEV3":60,"SEV4":240}'),
     (2, 0.999, 120, 15, 365, 7, 365, '{"SEV1":15,"SEV2":30,"SEV3":120,"SEV4":480}'),
     (3, 0.995, 480, 60, 365, 30, 365, '{"SEV1":30,"SEV2":60,"SEV3":240,"SEV4":1440}'),
     (4, 0.99, 1440, 1440, null, 90, 730, '{"SEV1":60,"SEV2":120,"SEV3":480,"SEV4":2880}')`,
  `insert into teams (slug, name) select 'team-' || lpad(g::text, 2, '0'), 'Team ' || g from generate_series(1, 20) g`,
  `insert into systems (slug, name, tier, lifecycle, owner_team_id)
     select 'sys-' || lpad(g::text, 4, '0'), 'System ' || lpad(g::text, 4, '0'),
            1 + (g % 4), case when random() < 0.03 then 'retired' else 'active' end, 1 + (g % 20)
     from generate_series(1, ${COUNTS.systems}) g`,
  // Plans: 1-3 revisions; the current one decides status and links.
  `insert into documents (slug, kind, title, status, current_revision, created_at, updated_at)
     select 'plans/plan-' || lpad(g::text, 4, '0'), 'contingency_plan', 'Contingency plan ' || g,
            case when r < 0.08 then 'draft' when r < 0.13 then 'archived' else 'published' end,
            1 + (g % 3), now() - interval '3 years', now()
     from (select g, random() as r from generate_series(1, ${COUNTS.plans}) g) x`,
  `insert into documents (slug, kind, title, status, current_revision, created_at, updated_at)
     select 'runbooks/runbook-' || lpad(g::text, 4, '0'), 'runbook', 'Runbook ' || g,
            case when random() < 0.05 then 'draft' else 'published' end, 1, now() - interval '2 years', now()
     from generate_series(1, ${COUNTS.runbooks}) g`,
  // Linked systems of each document: 1-3, deterministic from its row number.
  `create temporary table doc_links as
     select d.id as document_id, d.kind, d.status, d.current_revision, s.slug, s.id as system_id
     from (select id, kind, status, current_revision, row_number() over (order by slug) as n from documents) d
     cross join lateral generate_series(0, (d.n % 3)::int) k
     join systems s on s.id = 1 + ((d.n * 7 + k * 613) % ${COUNTS.systems})`,
  `insert into document_systems (document_id, system_id) select distinct document_id, system_id from doc_links`,
  `insert into revisions (document_id, number, title, body, metadata, author, content_hash, created_at)
     select d.id, n.n, d.title, 'Steps for ' || d.title,
            jsonb_build_object('kind', d.kind, 'status', case when n.n = d.current_revision then d.status else 'published' end,
              'systems', (select coalesce(jsonb_agg(distinct l.slug), '[]') from doc_links l where l.document_id = d.id),
              'tags', '[]'::jsonb, 'alerts', '[]'::jsonb, 'owner', null, 'lastReviewed', null, 'extra', '{}'::jsonb),
            'bench', md5(d.id::text || n.n),
            now() - interval '1095 days' + (n.n - 1) * interval '300 days' + random() * interval '200 days'
     from documents d cross join lateral generate_series(1, d.current_revision) n(n)`,
  `insert into plan_reviews (document_id, revision, reviewed_at, reviewer)
     select d.id, d.current_revision, now() - random() * interval '700 days', 'bench'
     from (select id, current_revision from documents where kind = 'contingency_plan' order by random() limit ${COUNTS.reviews}) d`,
  `insert into drills (plan_document_id, plan_revision, scenario, held_at, type, outcome, origin, recorded_by)
     select p.id, 1 + floor(random() * p.current_revision)::int, 'Failover',
            now() - random() * interval '900 days',
            (array['tabletop','simulation','live_failover'])[1 + floor(random() * 3)::int],
            case when o < 0.7 then 'passed' when o < 0.88 then 'partial' else 'failed' end,
            'demo', 'bench'
     from (select 1 + floor(random() * ${COUNTS.plans})::int as k, random() as o from generate_series(1, ${COUNTS.drills})) g
     join (select id, current_revision, row_number() over (order by slug) as n from documents where kind = 'contingency_plan') p on p.n = g.k`,
  `insert into inspections (system_id, inspected_at, inspector, result, origin, recorded_by)
     select 1 + floor(random() * ${COUNTS.systems})::int, now() - random() * interval '730 days', 'monitoring',
            case when r < 0.85 then 'ok' when r < 0.97 then 'warning' else 'failed' end, 'api', 'bench'
     from (select random() as r from generate_series(1, ${COUNTS.inspections})) g`,
  // What autovacuum does to a table after bulk inserts: statistics and the visibility map (index-only scans).
  `vacuum analyze`,
];

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function main() {
  const handle = await openDatabase({ databaseUrl: url, maxConnections: 10 });
  const gen = postgres(url!, { max: 1, onnotice: () => {} });
  try {
    const [have] = await gen`select (select count(*) from systems)::int as systems, (select count(*) from drills)::int as drills,
      (select count(*) from inspections)::int as inspections, (select count(*) from documents where kind = 'contingency_plan')::int as plans`;
    let generationMs: number | null = null;
    const reuse =
      REUSE &&
      have!.systems === COUNTS.systems &&
      have!.plans === COUNTS.plans &&
      have!.drills === COUNTS.drills &&
      have!.inspections === COUNTS.inspections;
    if (!reuse) {
      const t0 = performance.now();
      for (const statement of GENERATE) await gen.unsafe(statement);
      generationMs = performance.now() - t0;
      console.log(`generated ${Object.entries(COUNTS).map(([k, v]) => `${v.toLocaleString("en")} ${k}`).join(", ")} in ${(generationMs / 1000).toFixed(1)} s`);
    } else {
      await gen.unsafe("vacuum analyze");
      console.log("reusing the generated data (--reuse)");
    }

    const db = handle.db;
    const asOf = new Date();
    const stats = (list: number[]) => {
      const sorted = [...list].sort((a, b) => a - b);
      return { p50: Math.round(percentile(sorted, 50)), p95: Math.round(percentile(sorted, 95)), max: Math.round(sorted[sorted.length - 1]!) };
    };
    const timed = async <T>(run: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> => {
      const t = performance.now();
      const cpu = process.cpuUsage();
      const value = await run();
      const used = process.cpuUsage(cpu);
      return { ms: performance.now() - t, cpuMs: (used.user + used.system) / 1000, value };
    };
    for (let i = 0; i < 2; i++) {
      clearCoverageCaches();
      await coverageReport(db, { asOf });
    }
    // Cold and warm runs alternate, so both see the same machine load. Cold: the caches are cleared
    // first (as after any write: catalog and trend computed again). Warm: the same load again, no
    // write in between (catalog and the trend's past months from the cache, the as-of day computed).
    const cold: number[] = [];
    const coldCpu: number[] = [];
    const warm: number[] = [];
    const warmCpu: number[] = [];
    const afterWrite: number[] = [];
    const afterLate: number[] = [];
    const lastMonth20 = new Date(Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 1, 20, 12));
    let report = await coverageReport(db, { asOf });
    for (let i = 0; i < RUNS; i++) {
      clearCoverageCaches();
      const c = await timed(() => coverageReport(db, { asOf }));
      cold.push(c.ms);
      coldCpu.push(c.cpuMs);
      const w = await timed(() => coverageReport(db, { asOf }));
      warm.push(w.ms);
      warmCpu.push(w.cpuMs);
      report = w.value;
      if (JSON.stringify(w.value.trend) !== JSON.stringify(c.value.trend)) throw new Error("the cached trend differs from the computed one");
      const [written] = await gen.unsafe<Array<{ id: string }>>(
        `insert into inspections (system_id, inspected_at, inspector, result, origin, recorded_by)
         values (1 + floor(random() * ${COUNTS.systems})::int, now(), 'bench', 'ok', 'api', 'bench') returning id`,
      );
      const a = await timed(() => coverageReport(db, { asOf }));
      afterWrite.push(a.ms);
      await gen.unsafe("delete from inspections where id = $1", [written!.id]);
      if (JSON.stringify(a.value.trend.slice(0, -1)) !== JSON.stringify(c.value.trend.slice(0, -1))) throw new Error("a write dated today changed a past month");
      const [late] = await gen.unsafe<Array<{ id: string }>>(
        `insert into inspections (system_id, inspected_at, inspector, result, origin, recorded_by)
         values (1 + floor(random() * ${COUNTS.systems})::int, $1, 'bench', 'ok', 'api', 'bench') returning id`,
        [lastMonth20.toISOString()],
      );
      afterLate.push((await timed(() => coverageReport(db, { asOf }))).ms);
      await gen.unsafe("delete from inspections where id = $1", [late!.id]);
    }

    // For comparison: the as-of day alone (what the JSON API and the print view compute), catalog cached.
    const single: number[] = [];
    for (let i = 0; i < Math.max(5, Math.ceil(RUNS / 3)); i++) single.push((await timed(() => coverageReport(db, { asOf, trend: false }))).ms);

    // The cold path split into its parts (medians of 5 runs): catalog, SQL (loadCoverageInputs), formulas.
    const split = { catalog: [] as number[], sql: [] as number[], formulas: [] as number[] };
    let inputs = null as Awaited<ReturnType<typeof loadCoverageInputs>> | null;
    for (let i = 0; i < 5; i++) {
      const t1 = performance.now();
      const catalog = await loadCoverageCatalog(db);
      const t2 = performance.now();
      const days = coverageAsOfDays(asOf);
      inputs = await loadCoverageInputs(db, catalog, days, {});
      const t3 = performance.now();
      reportFromInputs(inputs, days, catalog);
      const t4 = performance.now();
      split.catalog.push(t2 - t1);
      split.sql.push(t3 - t2);
      split.formulas.push(t4 - t3);
    }

    const coldStats = stats(cold);
    const warmStats = stats(warm);
    const afterWriteStats = stats(afterWrite);
    const afterLateStats = stats(afterLate);
    const figures = {
      runs: RUNS,
      cold: { ...coldStats, nodeCpuP50: stats(coldCpu).p50 },
      warm: { ...warmStats, nodeCpuP50: stats(warmCpu).p50 },
      afterWrite: afterWriteStats,
      afterLateRecord: afterLateStats,
      withoutTrendP50Ms: stats(single).p50,
      loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
      generationS: generationMs === null ? null : Math.round(generationMs / 100) / 10,
      coldSplitP50Ms: { catalog: stats(split.catalog).p50, sql: stats(split.sql).p50, formulas: stats(split.formulas).p50 },
      rowsFedAsOfToday: {
        plans: inputs!.input.plans.length,
        drills: inputs!.input.drills.length,
        inspections: inputs!.input.inspections.length,
        runbooks: inputs!.input.runbooks.length,
      },
      metrics: {
        plan: `${report.plan.numerator}/${report.plan.denominator}`,
        drill: `${report.drill.numerator}/${report.drill.denominator}`,
        inspection: `${report.inspection.numerator}/${report.inspection.denominator}`,
        runbook: `${report.runbook.numerator}/${report.runbook.denominator}`,
      },
      target: "p95 < 500 ms",
    };
    const verdict = (p95: number) => (p95 < 500 ? "met" : "missed");
    console.log(`coverageReport, whole scope, as of ${asOf.toISOString().slice(0, 10)} with the 12-month trend, ${RUNS} runs each:`);
    console.log(`  cold (caches cleared: restart, catalog edit, a scope or month not seen yet): p50 ${coldStats.p50} ms, p95 ${coldStats.p95} ms, max ${coldStats.max} ms (target p95 < 500 ms: ${verdict(coldStats.p95)})`);
    console.log(`  warm (no write since the last load): p50 ${warmStats.p50} ms, p95 ${warmStats.p95} ms, max ${warmStats.max} ms (target p95 < 500 ms: ${verdict(warmStats.p95)})`);
    console.log(`  after a late record (an inspection dated ${lastMonth20.toISOString().slice(0, 10)}): p50 ${afterLateStats.p50} ms, p95 ${afterLateStats.p95} ms, max ${afterLateStats.max} ms (target p95 < 500 ms: ${verdict(afterLateStats.p95)})`);
    console.log(`  after a write (an inspection dated now): p50 ${afterWriteStats.p50} ms, p95 ${afterWriteStats.p95} ms, max ${afterWriteStats.max} ms (target p95 < 500 ms: ${verdict(afterWriteStats.p95)})`);
    console.log(`  without the trend (as-of day only, as the JSON API): p50 ${figures.withoutTrendP50Ms} ms`);
    console.log(`  Node CPU time per run (p50): cold ${figures.cold.nodeCpuP50} ms, warm ${figures.warm.nodeCpuP50} ms; machine load average (1 min): ${figures.loadAverage1m} on ${os.cpus().length} cores`);
    console.log(`  cold run split (p50 of 5): catalog ${figures.coldSplitP50Ms.catalog} ms, SQL ${figures.coldSplitP50Ms.sql} ms, formulas ${figures.coldSplitP50Ms.formulas} ms`);
    console.log(`  rows fed to the formulas as of today: ${JSON.stringify(figures.rowsFedAsOfToday)}; metrics ${JSON.stringify(figures.metrics)}`);
    console.log(JSON.stringify(figures));
  } finally {
    await gen.end({ timeout: 5 });
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
