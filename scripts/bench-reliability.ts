/**
 * Benchmark of the reliability page's server time on PostgreSQL (issue 5, "Done means").
 *
 *   DATABASE_URL=postgres://user@host:5432/bench_reliability npm run bench:reliability -- [--runs=30] [--systems=2000]
 *     [--incidents=100000] [--actions=300000] [--keep] [--force]
 *
 * 1. Migrates the database named by DATABASE_URL (required: PGlite is not what this measures).
 * 2. Unless `--keep` finds data of the same size already there, empties the catalog, incident,
 *    drill, inspection and corrective-action tables and generates with SQL (generate_series):
 *    8 teams, `--systems` systems (tiers 1-4), 400 contingency plans with 4,000 drills,
 *    20,000 inspections, `--incidents` incidents over the last 3 years (1-3 affected systems each,
 *    some with missing timestamps, unresolved, explicit recurrence links) and `--actions`
 *    corrective actions (90 % from incidents, the rest from drills and inspections).
 *    It refuses a database whose name does not contain "bench" unless `--force` is given,
 *    because it deletes those tables' rows.
 * 3. Times `reliabilityPageData` (what the /reliability loader runs: default period, whole scope,
 *    12-month trends and the SVG charts) `--runs` times after one warm-up, twice:
 *    - cold: the reliability caches (catalog, trends) are cleared before every run, so each run reads
 *      the 15-month window and computes the trend;
 *    - warm: repeat loads with no write in between (the trend, the catalog and the period's rows
 *      come from the caches; the period's figures are computed as of each run's T);
 *    - after a write: an incident started now on one system is inserted first (as the Alertmanager
 *      webhook does; the trend and catalog stay cached, the period's rows are read again), and
 *      deleted after the run;
 *    - after a late record: an incident started on the 15th of last month is inserted first (the
 *      trend's last month is computed again, the earlier months kept), and deleted after the run;
 *    and prints p50/p95/max of both, one cold run split into its steps, the generation time, and
 *    the figures as JSON on the last line. Target: p95 < 500 ms.
 */
import { performance } from "node:perf_hooks";
import { sql } from "drizzle-orm";
import { openDatabase, rowsOf, type Database } from "../db/client";
import { reliabilityPageData } from "../app/metrics/reliability-page.server";
import { buildReliabilityReport, clearReliabilityCaches, loadCatalogSystems, loadReliabilityInput } from "../app/metrics/reliability.server";

const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? "true"] as const;
  }),
);
const RUNS = Number(args.get("runs") ?? 30);
const SYSTEMS = Number(args.get("systems") ?? 2_000);
const INCIDENTS = Number(args.get("incidents") ?? 100_000);
const ACTIONS = Number(args.get("actions") ?? 300_000);
const KEEP = args.has("keep");
const FORCE = args.has("force");

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    "bench:reliability needs PostgreSQL: set DATABASE_URL, e.g.\n  DATABASE_URL=postgres://drillbook@127.0.0.1:5432/bench_reliability npm run bench:reliability\n" +
      "(it deletes the catalog, incident and action rows of that database and fills them with generated data).",
  );
  process.exit(2);
}
const dbName = new URL(url).pathname.slice(1);
if (!/bench/i.test(dbName) && !FORCE) {
  console.error(`Refusing to fill database "${dbName}": its name does not contain "bench". Pass --force to use it anyway (its incidents, actions and catalog are deleted).`);
  process.exit(2);
}

const count = async (db: Database, table: string) => Number(rowsOf<{ n: string }>(await db.execute(sql.raw(`select count(*) as n from ${table}`)))[0].n);

async function generate(db: Database): Promise<void> {
  const run = (text: string) => db.execute(sql.raw(text));
  await run(`truncate corrective_actions, incident_events, incident_runbooks, incident_systems, incidents, drills, inspections,
    plan_reviews, document_systems, documents, system_dependencies, systems, teams, slas restart identity cascade`);
  await run(`insert into slas (tier, availability, rto_minutes, rpo_minutes, drill_interval_days, inspection_interval_days, plan_review_interval_days, response_minutes) values
    (1, 0.9995, 30, 0, 182, 1, 182, '{"SEV1":5,"SEV2":15,"SEV3":60,"SEV4":240}'),
    (2, 0.999, 120, 15, 365, 7, 365, '{"SEV1":15,"SEV2":30,"SEV3":120,"SEV4":480}'),
    (3, 0.995, 480, 60, 365, 30, 365, '{"SEV1":30,"SEV2":60,"SEV3":240,"SEV4":1440}'),
    (4, 0.99, 1440, 1440, null, 90, 730, '{"SEV1":60,"SEV2":120,"SEV3":480,"SEV4":2880}')`);
  await run(`insert into teams (slug, name) select 'team-' || g, 'Team ' || g from generate_series(1, 8) g`);
  await run(`insert into systems (slug, name, tier, lifecycle, owner_team_id)
    select 'sys-' || g, 'System ' || g, 1 + (g % 4), case when g % 50 = 0 then 'retired' else 'active' end, 1 + (g % 8)
    from generate_series(1, ${SYSTEMS}) g`);
  await run(`insert into documents (slug, kind, title, current_revision)
    select 'plans/plan-' || g, 'contingency_plan', 'Contingency plan ' || g, 1 from generate_series(1, 400) g`);
  await run(`insert into document_systems (document_id, system_id)
    select d.id, 1 + ((row_number() over () * 7 + k * 131) % ${SYSTEMS}) from documents d cross join generate_series(0, 2) k
    on conflict do nothing`);
  await run(`insert into drills (plan_document_id, plan_revision, scenario, held_at, type, outcome, origin, recorded_by)
    select (select id from documents order by slug offset (g % 400) limit 1), 1, 'Scenario ' || g,
      now() - (random() * interval '1095 days'), 'simulation', 'passed', 'demo', 'bench'
    from generate_series(1, 4000) g`);
  await run(`insert into inspections (system_id, inspected_at, inspector, result, origin, recorded_by)
    select 1 + (g % ${SYSTEMS}), now() - (random() * interval '1095 days'), 'bench', 'ok', 'demo', 'bench'
    from generate_series(1, 20000) g`);
  // Incidents spread evenly over 3 years (numbers follow start order), with realistic gaps.
  await run(`insert into incidents (title, severity, status, started_at, detected_at, acknowledged_at, mitigated_at, resolved_at,
      customer_impact, root_cause_category, origin, created_by)
    select 'Incident ' || g,
      (array['SEV1','SEV2','SEV3','SEV3','SEV4','SEV4'])[1 + floor(random() * 6)::int],
      case when g > ${INCIDENTS} - 30 and random() < 0.5 then 'open' else 'resolved' end,
      s, case when random() < 0.03 then null else s + d end,
      case when random() < 0.04 then null else s + d + a end,
      case when random() < 0.5 then s + d + a + r else null end,
      case when g > ${INCIDENTS} - 30 and random() < 0.5 then null else s + d + a + r + r end,
      random() < 0.6,
      (array['change','capacity','hardware','software_defect','configuration','dependency','human_error','security','unknown'])[1 + floor(random() * 9)::int],
      'demo', 'bench'
    from (select g, now() - interval '1095 days' + (g * interval '1095 days' / ${INCIDENTS}) as s,
            random() * interval '20 minutes' as d, random() * interval '30 minutes' as a, random() * interval '240 minutes' as r
          from generate_series(1, ${INCIDENTS}) g) x`);
  await run(`insert into incident_systems (incident_id, system_id)
    select i.id, 1 + floor(random() * ${SYSTEMS})::int from incidents i cross join generate_series(1, 3) k
    where k = 1 or random() < 0.25 on conflict do nothing`);
  await run(`update incidents i set recurrence_of_id = e.id from incidents e
    where i.number % 40 = 0 and e.number = i.number - 1 - (i.number % 37)`);
  // Corrective actions: 90 % incidents, 3 % drills, 7 % inspections; due 14-60 days after the source.
  const fromIncidents = Math.round(ACTIONS * 0.9);
  const fromDrills = Math.round(ACTIONS * 0.03);
  const fromInspections = ACTIONS - fromIncidents - fromDrills;
  const actionSql = (source: string, n: number, join: string, at: string, column: string) => `
    insert into corrective_actions (title, owner, due_date, status, closed_at, ${column}, created_by, created_at)
    select 'Action ' || g, 'owner' || (g % 300) || '@bank.example', due, st,
      case when st in ('done', 'wont_do') then least(now(), due + (random() * 40 - 30) * interval '1 day') else null end,
      src, 'bench', at
    from (select g, src, at, (at + (14 + floor(random() * 47)) * interval '1 day')::date as due,
            case when (at + interval '60 days') > now() and random() < 0.7 then (array['open','in_progress'])[1 + floor(random() * 2)::int]
                 when random() < 0.04 then (array['open','in_progress'])[1 + floor(random() * 2)::int]
                 when random() < 0.06 then 'wont_do' else 'done' end as st
          from (select g, ${source} as src, ${at} as at from generate_series(1, ${n}) g ${join}) y) z`;
  await run(actionSql("i.id", fromIncidents, `join incidents i on i.number = 1 + (g % ${INCIDENTS})`, "i.started_at", "incident_id"));
  await run(actionSql("d.id", fromDrills, "join (select id, held_at, row_number() over () as k from drills) d on d.k = 1 + (g % 4000)", "d.held_at", "drill_id"));
  await run(actionSql("n.id", fromInspections, "join (select id, inspected_at, row_number() over () as k from inspections) n on n.k = 1 + (g % 20000)", "n.inspected_at", "inspection_id"));
  await run("analyze");
}

function percentile(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

async function main() {
  const handle = await openDatabase({ databaseUrl: url, maxConnections: 4 });
  const { db } = handle;
  try {
    let generationMs = 0;
    const have = { incidents: await count(db, "incidents"), actions: await count(db, "corrective_actions") };
    if (!KEEP || have.incidents !== INCIDENTS || have.actions !== ACTIONS) {
      console.log(`generating ${SYSTEMS} systems, ${INCIDENTS} incidents, ${ACTIONS} corrective actions...`);
      const t0 = performance.now();
      await generate(db);
      generationMs = performance.now() - t0;
      console.log(`generated in ${(generationMs / 1000).toFixed(1)} s`);
    } else {
      console.log(`--keep: using the ${have.incidents} incidents and ${have.actions} actions already there`);
    }
    const rows = { incidents: await count(db, "incidents"), actions: await count(db, "corrective_actions"), systems: await count(db, "systems") };

    const query = () => ({ searchParams: new URLSearchParams(), now: new Date(), timeZone: "UTC" });
    const first = await reliabilityPageData(db, query()); // warms up the code, fills the caches
    if (!first.ok) throw new Error(first.error);
    /** `RUNS` timed page loads; `before` runs untimed before each, `after` after each. */
    const time = async (before: () => unknown, after: () => unknown = () => {}) => {
      const times: number[] = [];
      for (let k = 0; k < RUNS; k++) {
        await before();
        const t0 = performance.now();
        const result = await reliabilityPageData(db, query());
        times.push(performance.now() - t0);
        if (!result.ok) throw new Error(result.error);
        await after();
      }
      times.sort((a, b) => a - b);
      return { p50Ms: +percentile(times, 50).toFixed(1), p95Ms: +percentile(times, 95).toFixed(1), maxMs: +times[times.length - 1].toFixed(1) };
    };
    const cold = await time(() => clearReliabilityCaches());
    const cached = await reliabilityPageData(db, query()); // fills the caches
    if (!cached.ok) throw new Error(cached.error);
    const warmFigures = await time(() => {});
    let written: string | null = null;
    const insertIncident = async (startedAt: string) => {
      const [row] = rowsOf<{ id: string }>(
        await db.execute(sql`insert into incidents (title, severity, status, started_at, detected_at, root_cause_category, origin, created_by)
          values ('Bench alert', 'SEV3', 'open', ${startedAt}::timestamptz, ${startedAt}::timestamptz, 'unknown', 'alertmanager', 'bench') returning id`),
      );
      await db.execute(sql`insert into incident_systems (incident_id, system_id) values (${row!.id}, 1 + floor(random() * ${SYSTEMS})::int)`);
      return row!.id;
    };
    const now = new Date();
    const lastMonth15 = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 10));
    let late: string | null = null;
    const afterLate = await time(
      async () => {
        late = await insertIncident(lastMonth15.toISOString());
      },
      async () => {
        await db.execute(sql`delete from incidents where id = ${late}`);
      },
    );
    const afterWrite = await time(
      async () => {
        const [row] = rowsOf<{ id: string }>(
          await db.execute(sql`insert into incidents (title, severity, status, started_at, detected_at, root_cause_category, origin, created_by)
            values ('Bench alert', 'SEV3', 'open', now(), now(), 'unknown', 'alertmanager', 'bench') returning id`),
        );
        written = row!.id;
        await db.execute(sql`insert into incident_systems (incident_id, system_id) values (${written}, 1 + floor(random() * ${SYSTEMS})::int)`);
      },
      async () => {
        await db.execute(sql`delete from incidents where id = ${written}`);
      },
    );

    // One cold run split into its steps (the same calls reliabilityPageData makes on a miss).
    clearReliabilityCaches();
    const reportQuery = { period: { from: first.data.period.from, to: first.data.period.to }, scope: {}, asOf: new Date(), timeZone: "UTC", trends: true };
    const s0 = performance.now();
    const systems = await loadCatalogSystems(db);
    const s1 = performance.now();
    const input = await loadReliabilityInput(db, reportQuery, systems);
    const s2 = performance.now();
    buildReliabilityReport(input, reportQuery);
    const s3 = performance.now();
    const breakdown = { catalogMs: +(s1 - s0).toFixed(1), loadMs: +(s2 - s1).toFixed(1), buildMs: +(s3 - s2).toFixed(1) };

    const figures = {
      rows,
      loaded: { cold: first.data.loaded, warm: cached.data.loaded },
      period: { from: first.data.period.fromDay, to: first.data.period.toDay },
      runs: RUNS,
      cold,
      warm: warmFigures,
      afterWrite,
      afterLateRecord: afterLate,
      coldBreakdown: breakdown,
      generationS: +(generationMs / 1000).toFixed(1),
      targetP95Ms: 500,
    };
    const met = (p95: number) => (p95 < 500 ? "met" : "MISSED");
    console.log(`reliability page server time over ${RUNS} runs each (default period ${figures.period.from}..${figures.period.to}, whole scope, 12-month trends, charts):`);
    console.log(`  cold (caches cleared before each run: restart, catalog edit, a scope or month not seen yet): p50 ${cold.p50Ms} ms, p95 ${cold.p95Ms} ms, max ${cold.maxMs} ms (target p95 < 500 ms: ${met(cold.p95Ms)})`);
    console.log(`  warm (trend, catalog and period rows cached, no writes): p50 ${warmFigures.p50Ms} ms, p95 ${warmFigures.p95Ms} ms, max ${warmFigures.maxMs} ms (target p95 < 500 ms: ${met(warmFigures.p95Ms)})`);
    console.log(`  after a write (an incident started now): p50 ${afterWrite.p50Ms} ms, p95 ${afterWrite.p95Ms} ms, max ${afterWrite.maxMs} ms (target p95 < 500 ms: ${met(afterWrite.p95Ms)})`);
    console.log(`  after a late record (an incident started ${lastMonth15.toISOString().slice(0, 10)}): p50 ${afterLate.p50Ms} ms, p95 ${afterLate.p95Ms} ms, max ${afterLate.maxMs} ms (target p95 < 500 ms: ${met(afterLate.p95Ms)})`);
    console.log(`  one cold run: catalog ${breakdown.catalogMs} ms, rows ${breakdown.loadMs} ms, figures ${breakdown.buildMs} ms (the rest: references, page shaping, charts)`);
    console.log(`  rows read per run: cold ${first.data.loaded.incidents} incidents, ${first.data.loaded.actions} actions; warm ${cached.data.loaded.incidents} incidents, ${cached.data.loaded.actions} actions`);
    console.log(JSON.stringify(figures));
  } finally {
    await handle.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
