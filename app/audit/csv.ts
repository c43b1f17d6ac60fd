/**
 * CSV writing (RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled, rows
 * end with CRLF), with the OWASP "CSV injection" defence: a text cell starting with `=`, `+`, `-`,
 * `@`, a tab or a carriage return gets a leading `'`, so a spreadsheet shows it as text instead of
 * running it as a formula (https://owasp.org/www-community/attacks/CSV_Injection).
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: null/undefined as empty, numbers as they are, text defused and quoted as needed. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  let text = typeof value === "string" ? value : value instanceof Date ? value.toISOString() : JSON.stringify(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row, CRLF-terminated. */
export function csvRow(values: readonly unknown[]): string {
  return `${values.map(csvCell).join(",")}\r\n`;
}
