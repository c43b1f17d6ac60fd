/**
 * Vitest global setup. Prints which database the suite runs against, so a CI log shows whether
 * the PostgreSQL leg really ran.
 */
export default function setup(): void {
  const target = process.env.DATABASE_URL ? `PostgreSQL (${redact(process.env.DATABASE_URL)})` : "PGlite (embedded)";
  console.log(`[drillbook tests] database: ${target}`);
  console.log(
    process.env.MEILI_URL
      ? `[drillbook tests] Meilisearch contract suite: running against ${process.env.MEILI_URL}`
      : "[drillbook tests] Meilisearch contract suite: NOT RUN (MEILI_URL is not set; a Meilisearch server cannot be installed on this machine)",
  );
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]+@/, "//$1:***@");
}
