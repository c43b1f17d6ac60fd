/**
 * CSV downloads for any table: RFC 4180 rows with the spreadsheet-formula defence of
 * app/audit/csv.ts (one implementation of the cell rules), plus the HTTP response around them.
 */
import { csvRow } from "../audit/csv";

export { csvCell, csvRow } from "../audit/csv";

/** A whole CSV document: the header row, then one row per record (CRLF line ends, no BOM). */
export function csvDocument(headers: readonly string[], rows: ReadonlyArray<readonly unknown[]>): string {
  return csvRow(headers) + rows.map((r) => csvRow(r)).join("");
}

/**
 * A download response: `text/csv; charset=utf-8`, `attachment; filename="<filename>"`, no-store.
 * `filename` should be plain ASCII (e.g. `reliability-availability-2026-11-22.csv`).
 */
export function csvResponse(filename: string, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "cache-control": "no-store",
      ...headers,
    },
  });
}
