import type { RevisionMetadata } from "../../db/schema/documents";
import type { DiffLine, MetadataChange } from "./diff";
import type { TocEntry } from "./markdown";

/**
 * What the document editor's form holds, exactly as typed (strings; systems as the selected
 * slugs), so a refused form can be shown again with nothing lost.
 */
export interface EditorValues {
  slug: string;
  title: string;
  markdown: string;
  kind: string;
  status: string;
  systems: string[];
  /** Comma-separated. */
  tags: string;
  /** Comma-separated alert names. */
  alerts: string;
  /** Team slug, or "" for none. */
  owner: string;
  /** YYYY-MM-DD or "". */
  lastReviewed: string;
  message: string;
}

/** Form fields in the order they appear, for focusing the first one with an error. */
export const EDITOR_FIELD_ORDER = ["title", "slug", "kind", "status", "markdown", "systems", "tags", "alerts", "owner", "lastReviewed", "message"] as const;

/** The other person's revision shown when a save was refused because the document moved on. */
export interface EditorConflict {
  /** The revision the refused change was based on. */
  base: number;
  current: { number: number; title: string; markdown: string; author: string; message: string; createdAt: string };
  /** Their change: base -> current. */
  lines: DiffLine[];
  metadata: MetadataChange[];
}

/** Everything the editor page renders: from the loader (a fresh form) or the action (after a submit). */
export interface EditorState {
  values: EditorValues;
  /** Revision the form builds on; null for a new document. */
  baseRevision: number | null;
  fieldErrors: Partial<Record<string, string>>;
  conflict: EditorConflict | null;
  preview: { html: string; toc: TocEntry[] };
}

/** The form's values as typed, read from a submitted form (missing fields are empty). */
export function readEditorForm(form: FormData): EditorValues {
  const get = (name: string) => {
    const value = form.get(name);
    return typeof value === "string" ? value : "";
  };
  return {
    slug: get("slug"),
    title: get("title"),
    markdown: get("markdown"),
    kind: get("kind"),
    status: get("status"),
    systems: form.getAll("systems").filter((v): v is string => typeof v === "string" && v !== ""),
    tags: get("tags"),
    alerts: get("alerts"),
    owner: get("owner"),
    lastReviewed: get("lastReviewed"),
    message: get("message"),
  };
}

/** Form values showing a saved revision (message left empty for the next change). */
export function valuesFromRevision(slug: string, revision: { title: string; body: string; metadata: RevisionMetadata }): EditorValues {
  const m = revision.metadata;
  return {
    slug,
    title: revision.title,
    markdown: revision.body,
    kind: m.kind,
    status: m.status,
    systems: m.systems,
    tags: m.tags.join(", "),
    alerts: m.alerts.join(", "),
    owner: m.owner ?? "",
    lastReviewed: m.lastReviewed ?? "",
    message: "",
  };
}
