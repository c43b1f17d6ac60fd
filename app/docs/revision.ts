import { createHash } from "node:crypto";
import type { RevisionMetadata } from "../../db/schema/documents";

/**
 * sha256 (hex) of a revision's title, body and metadata, with object keys sorted, so that saving or
 * importing identical content is recognised and writes nothing.
 */
export function contentHash(title: string, body: string, metadata: RevisionMetadata): string {
  return createHash("sha256").update(canonicalJson({ title, body, metadata })).digest("hex");
}

/** JSON with object keys sorted, so equal values give equal strings (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Sorted, de-duplicated copy of a list of names, for stable metadata. */
export function uniqueSorted(values: readonly string[]): string[] {
  return [...new Set(values.map((v) => v.trim()).filter((v) => v !== ""))].sort();
}
