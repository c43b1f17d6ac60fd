import { parseDocument } from "yaml";

/** Frontmatter found at the top of a Markdown file, and the body after it. */
export interface SplitFrontmatter {
  /** Parsed YAML mapping, or null when the file has no frontmatter. */
  data: Record<string, unknown> | null;
  /** The Markdown after the frontmatter (the whole text when there is none). */
  body: string;
  /** 1-based line of the body's first line in the file, for error messages. */
  bodyLine: number;
}

/** A frontmatter block that is clearly meant as YAML but does not parse. */
export class FrontmatterError extends Error {
  override name = "FrontmatterError";
  constructor(
    message: string,
    /** 1-based line in the file. */
    readonly line: number,
  ) {
    super(message);
  }
}

const DELIMITER = /^---\s*$/;
const KEY_LINE = /^[A-Za-z_][\w-]*\s*:(\s|$)/;
/** How far down a header without an opening `---` may reach (SOC 2 policy files). */
const MAX_OPENLESS_HEADER_LINES = 60;

/**
 * Splits YAML frontmatter from Markdown. Handles the shapes found in real repositories
 * (see shared/corpora/README.md):
 * - `---\n yaml \n---\n body` (Hugo, Jekyll);
 * - a YAML header with no opening `---`, only the closing one (comply SOC 2 policies), recognised
 *   only when the first line is a `key:` line and the header parses as a mapping;
 * - a leading `---` that is a thematic break (no closing line, or no `key:` line after it): no frontmatter.
 * A UTF-8 byte-order mark is dropped.
 * @throws FrontmatterError when a delimited block starts with `key:` lines but is not valid YAML,
 *   or is not a mapping.
 */
export function splitFrontmatter(text: string): SplitFrontmatter {
  const source = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const lines = source.split("\n");
  const none: SplitFrontmatter = { data: null, body: source, bodyLine: 1 };

  if (DELIMITER.test(lines[0] ?? "")) {
    const firstContent = lines.slice(1).find((line) => line.trim() !== "") ?? "";
    if (!KEY_LINE.test(firstContent)) return none;
    const close = lines.findIndex((line, i) => i > 0 && DELIMITER.test(line));
    if (close < 0) return none;
    const data = parseMapping(lines.slice(1, close).join("\n"), 2, true);
    return { data, body: lines.slice(close + 1).join("\n"), bodyLine: close + 2 };
  }

  if (KEY_LINE.test(lines[0] ?? "")) {
    const close = lines.findIndex((line, i) => i < MAX_OPENLESS_HEADER_LINES && DELIMITER.test(line));
    if (close > 0) {
      const data = parseMapping(lines.slice(0, close).join("\n"), 1, false);
      if (data) return { data, body: lines.slice(close + 1).join("\n"), bodyLine: close + 2 };
    }
  }
  return none;
}

function parseMapping(yamlText: string, firstLine: number, strict: boolean): Record<string, unknown> | null {
  const doc = parseDocument(yamlText, { prettyErrors: false, uniqueKeys: false });
  if (doc.errors.length > 0) {
    if (!strict) return null;
    const error = doc.errors[0]!;
    const line = (error.linePos?.[0]?.line ?? 1) + firstLine - 1;
    throw new FrontmatterError(`frontmatter is not valid YAML: ${error.message.split("\n")[0]}`, line);
  }
  const value: unknown = doc.toJS();
  if (value === null || value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    if (!strict) return null;
    throw new FrontmatterError("frontmatter must be a YAML mapping of `key: value` lines", firstLine);
  }
  return value as Record<string, unknown>;
}
