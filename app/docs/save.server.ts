/**
 * Saving documents from the editor and the HTTP API: the `saveDocument` and `restoreRevision`
 * commands. Each validates its input, writes the revision (saveRevision: document row, immutable
 * revision, link tables, search outbox) and an audit entry in ONE transaction, and refuses a save
 * based on a stale revision with a DocumentConflictError that carries both texts, so nothing a
 * person typed is ever lost. Callers kick the search outbox after a successful save.
 */

import { z } from "zod";
import type { Database } from "../../db/client";
import { DOCUMENT_KINDS, DOCUMENT_STATUSES, type RevisionMetadata } from "../../db/schema/documents";
import { recordAudit } from "../audit/audit.server";
import { clientIp, type Viewer } from "../auth/session.server";
import { loadCatalogIds, RevisionConflictError, saveRevision, type CatalogIds } from "./documents.server";
import { getCurrentRevision, getRevision, type RevisionDetail } from "./history.server";
import { ALERT_NAME } from "./import.server";
import { uniqueSorted } from "./revision";
import { isValidSlug } from "./slug";

/** Largest Markdown body accepted, in UTF-8 bytes (1 MiB). */
export const MAX_MARKDOWN_BYTES = 1024 * 1024;
export const MAX_TITLE_LENGTH = 200;
export const MAX_MESSAGE_LENGTH = 500;
export const MAX_TAG_LENGTH = 60;
export const MAX_LIST_ITEMS = 50;
/** Last slug segments the HTTP API reads as sub-resources (`/api/v1/documents/<slug>/diff`). */
const RESERVED_LAST_SEGMENTS = new Set(["revisions", "diff", "restore"]);

/** Who is saving, for the revision's author and the audit log. */
export interface Actor {
  userId: string | null;
  email: string;
  /** Display name, recorded as the revision's author. */
  name: string;
  ip: string | null;
}

/** The Actor for a signed-in viewer and the request's load context (client address). */
export function actorFromViewer(viewer: Viewer, context: unknown): Actor {
  return { userId: viewer.id, email: viewer.email, name: viewer.name, ip: clientIp(context) };
}

/**
 * What a save says, as it arrives from a form or JSON (strings are trimmed and parsed here).
 * Omitted metadata keeps the base revision's value (for a new document: kind `article`, status
 * `published`, empty lists, no owner). Lists take an array or one comma-separated string;
 * `owner: null` or `""` and `lastReviewed: null` or `""` clear the field.
 */
export interface DocumentInput {
  slug: string;
  /** The revision the change was made on; absent (or 0, "", null) to create a new document. */
  baseRevision?: unknown;
  title: unknown;
  markdown: unknown;
  message?: unknown;
  kind?: unknown;
  status?: unknown;
  systems?: unknown;
  tags?: unknown;
  alerts?: unknown;
  owner?: unknown;
  lastReviewed?: unknown;
}

/** The fields of DocumentInput that can be wrong; the keys of `fieldErrors`. */
export type DocumentField = keyof DocumentInput;

/** Messages per field (one each, the first problem found), named as DocumentInput names them. */
export type FieldErrors = Partial<Record<DocumentField, string>>;

export type SaveDocumentResult =
  | { ok: true; slug: string; revision: number; outcome: "created" | "updated" | "unchanged" }
  | { ok: false; fieldErrors: FieldErrors };

/**
 * The change was based on a revision that is no longer current (or, for a new document, the slug
 * is taken). Nothing was written. Carries the current revision and the refused change, so the
 * caller can show both and let the person merge: `baseRevision` 0 means "a new document".
 */
export class DocumentConflictError extends RevisionConflictError {
  override name = "DocumentConflictError";
  constructor(
    slug: string,
    baseRevision: number,
    /** The document's revision as it is now. */
    readonly current: RevisionDetail,
    /** The change that was refused, validated and normalised. */
    readonly yours: { title: string; markdown: string; message: string; metadata: RevisionMetadata },
  ) {
    super(slug, baseRevision, current.number);
    if (baseRevision === 0) this.message = `A document with the slug ${slug} already exists (revision ${current.number}).`;
  }
}

/** No document has this slug (or the document has no such revision). */
export class DocumentNotFoundError extends Error {
  override name = "DocumentNotFoundError";
}

const text = (required: string) => z.string({ error: required }).transform((s) => s.trim());
const optionalText = z
  .union([z.string(), z.null()])
  .transform((s) => (s ?? "").trim() || null)
  .optional();
const list = z
  .union([z.string(), z.array(z.string())], { error: "must be a list of names" })
  .transform((v) => uniqueSorted(Array.isArray(v) ? v : v.split(/[,\n]/)))
  .refine((v) => v.length <= MAX_LIST_ITEMS, `at most ${MAX_LIST_ITEMS}`)
  .optional();

/**
 * The one schema for a save. Needs the catalog to check that systems and the owner team exist.
 * Output: normalised values (trimmed, lists de-duplicated and sorted, CRLF turned into LF,
 * baseRevision a number or undefined).
 */
export function documentInputSchema(catalog: CatalogIds) {
  return z
    .object({
      slug: z
        .string({ error: "Give the document an address (slug)" })
        .transform((s) => s.trim().normalize("NFC").toLowerCase().replace(/^\/+|\/+$/g, ""))
        .refine((s) => s !== "", "Give the document an address (slug), e.g. core-ledger-failover")
        .refine(isValidSlug, "Use letters, digits, '-', '_' or '.', in '/'-separated segments, e.g. runbooks/ledger-failover"),
      baseRevision: z.preprocess(
        (v) => (v === "" || v === null || v === undefined || v === 0 || v === "0" ? undefined : v),
        z.coerce
          .number({ error: "must be a revision number" })
          .int("must be a revision number")
          .min(1, "must be a revision number")
          .optional(),
      ),
      title: text("Give a title")
        .refine((s) => s.length > 0, "Give a title")
        .refine((s) => s.length <= MAX_TITLE_LENGTH, `Keep the title to ${MAX_TITLE_LENGTH} characters`),
      markdown: z
        .string({ error: "Give the text (Markdown)" })
        .transform((s) => s.replace(/\r\n?/g, "\n"))
        .refine(
          (s) => Buffer.byteLength(s, "utf8") <= MAX_MARKDOWN_BYTES,
          "The text is over 1 MB; split it into several documents and link them with [[slug]]",
        ),
      message: z
        .union([z.string(), z.null()])
        .transform((s) => (s ?? "").trim())
        .refine((s) => s.length <= MAX_MESSAGE_LENGTH, `Keep the change message to ${MAX_MESSAGE_LENGTH} characters`)
        .optional(),
      kind: z.enum(DOCUMENT_KINDS, { error: `Choose a kind: ${DOCUMENT_KINDS.join(", ")}` }).optional(),
      status: z.enum(DOCUMENT_STATUSES, { error: "Choose draft, published or archived" }).optional(),
      systems: list.superRefine((v, ctx) => {
        const unknown = (v ?? []).filter((s) => !catalog.systems.has(s));
        if (unknown.length > 0) ctx.addIssue({ code: "custom", message: `Not in the catalog: ${unknown.join(", ")}. Pick systems from the list` });
      }),
      tags: list.refine((v) => !v || v.every((t) => t.length <= MAX_TAG_LENGTH), `Keep each tag to ${MAX_TAG_LENGTH} characters`),
      alerts: list.superRefine((v, ctx) => {
        const bad = (v ?? []).filter((a) => !ALERT_NAME.test(a));
        if (bad.length > 0) {
          ctx.addIssue({
            code: "custom",
            message: `Not an alert name: ${bad.join(", ")}. Alert names are single words such as KubePodCrashLooping, separated by commas`,
          });
        }
      }),
      owner: optionalText.refine((v) => !v || catalog.teams.has(v), "Pick the owner team from the list"),
      lastReviewed: optionalText.refine(
        (v) => !v || isPastDate(v),
        "Give the date of the last review as YYYY-MM-DD, not in the future",
      ),
    })
    .superRefine((value, ctx) => {
      const last = value.slug.slice(value.slug.lastIndexOf("/") + 1);
      if (value.baseRevision === undefined && value.slug.includes("/") && RESERVED_LAST_SEGMENTS.has(last)) {
        ctx.addIssue({
          code: "custom",
          path: ["slug"],
          message: `A slug may not end in "/${last}" (the API reads it as part of the address); add a word, e.g. ${value.slug}-notes`,
        });
      }
    });
}

function isPastDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  // A day of slack: the reviewer's calendar day may already be tomorrow in UTC terms.
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === value && time <= Date.now() + 86_400_000;
}

function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "markdown") as DocumentField;
    errors[field] ??= issue.message;
  }
  return errors;
}

/**
 * Validates `input` and saves it as a new revision of `input.slug` (creating the document when no
 * baseRevision is given), with an audit entry (`document.create` or `document.update`: actor e-mail,
 * slug, revision number, IP), in one transaction. Saving content identical to the current revision
 * writes nothing and returns `outcome: "unchanged"`. Callers should kick the search outbox.
 * @returns `{ ok: true, slug, revision, outcome }`, or `{ ok: false, fieldErrors }` naming each bad field.
 * @throws DocumentConflictError (a RevisionConflictError) when the document moved past baseRevision, or
 *   when creating and the slug exists (also when two creates race: the unique slug decides).
 * @throws DocumentNotFoundError when baseRevision is given and the document does not exist.
 */
export async function saveDocument(db: Database, input: DocumentInput, actor: Actor): Promise<SaveDocumentResult> {
  const catalog = await loadCatalogIds(db);
  const parsed = documentInputSchema(catalog).safeParse(input);
  if (!parsed.success) return { ok: false, fieldErrors: fieldErrorsOf(parsed.error) };
  const value = parsed.data;
  const creating = value.baseRevision === undefined;

  // The base revision is immutable, so it can be read outside the lock: omitted fields keep its values.
  const base = creating ? null : await getRevision(db, value.slug, value.baseRevision!);
  if (!creating && !base) {
    const current = await getCurrentRevision(db, value.slug);
    if (!current) throw new DocumentNotFoundError(`No document has the slug ${value.slug}; leave baseRevision out to create it.`);
  }
  const previous = base?.metadata;
  const metadata: RevisionMetadata = {
    kind: value.kind ?? previous?.kind ?? "article",
    status: value.status ?? previous?.status ?? "published",
    systems: value.systems ?? previous?.systems ?? [],
    tags: value.tags ?? previous?.tags ?? [],
    alerts: value.alerts ?? previous?.alerts ?? [],
    owner: value.owner !== undefined ? value.owner : previous?.owner ?? null,
    lastReviewed: value.lastReviewed !== undefined ? value.lastReviewed : previous?.lastReviewed ?? null,
    extra: previous?.extra ?? {},
  };
  const change = { title: value.title, markdown: value.markdown, message: value.message ?? "", metadata };
  return commit(db, catalog, actor, {
    slug: value.slug,
    baseRevision: value.baseRevision ?? 0,
    change,
    action: creating ? "document.create" : "document.update",
    details: {},
  });
}

/**
 * Makes a NEW revision whose content (title, text, metadata) equals revision `revision` of `slug`,
 * with the message "Restored revision N" and a `document.restore` audit entry, in one transaction.
 * History is never rewritten. Restoring content equal to the current revision writes nothing.
 * `baseRevision`, when given, must be the current revision (the page the person looked at).
 * @returns like saveDocument; `fieldErrors.systems`/`owner` when the old revision names catalog
 *   entries that no longer exist.
 * @throws DocumentNotFoundError when the document or the revision does not exist.
 * @throws DocumentConflictError when baseRevision is given and stale.
 */
export async function restoreRevision(
  db: Database,
  input: { slug: string; revision: number; baseRevision?: number },
  actor: Actor,
): Promise<SaveDocumentResult> {
  const old = await getRevision(db, input.slug, input.revision);
  if (!old) {
    const exists = await getCurrentRevision(db, input.slug);
    throw new DocumentNotFoundError(
      exists
        ? `Document ${input.slug} has no revision ${input.revision} (revisions 1 to ${exists.number}).`
        : `No document has the slug ${input.slug}.`,
    );
  }
  const catalog = await loadCatalogIds(db);
  const missingSystems = old.metadata.systems.filter((s) => !catalog.systems.has(s));
  if (missingSystems.length > 0) {
    return { ok: false, fieldErrors: { systems: `Revision ${old.number} names systems no longer in the catalog: ${missingSystems.join(", ")}` } };
  }
  if (old.metadata.owner && !catalog.teams.has(old.metadata.owner)) {
    return { ok: false, fieldErrors: { owner: `Revision ${old.number} names team ${old.metadata.owner}, no longer in the catalog` } };
  }
  const baseRevision = input.baseRevision ?? (await getCurrentRevision(db, input.slug))?.number ?? 0;
  return commit(db, catalog, actor, {
    slug: input.slug,
    baseRevision,
    change: { title: old.title, markdown: old.body, message: `Restored revision ${old.number}`, metadata: old.metadata },
    action: "document.restore",
    details: { restoredFrom: old.number },
  });
}

interface Commit {
  slug: string;
  /** 0 for a new document. */
  baseRevision: number;
  change: DocumentConflictError["yours"];
  action: "document.create" | "document.update" | "document.restore";
  details: Record<string, unknown>;
}

async function commit(db: Database, catalog: CatalogIds, actor: Actor, c: Commit): Promise<SaveDocumentResult> {
  try {
    return await db.transaction(async (tx) => {
      // `current` left undefined: saveRevision locks the document row (FOR UPDATE) and checks the
      // base against the locked state. baseRevision 0 on an existing document is a conflict.
      const saved = await saveRevision(
        tx,
        {
          slug: c.slug,
          title: c.change.title,
          body: c.change.markdown,
          metadata: c.change.metadata,
          author: actor.name,
          message: c.change.message,
          baseRevision: c.baseRevision,
        },
        catalog,
      );
      if (saved.outcome === "created" && c.baseRevision !== 0) {
        throw new DocumentNotFoundError(`No document has the slug ${c.slug}; leave baseRevision out to create it.`);
      }
      if (saved.outcome !== "unchanged") {
        await recordAudit(tx, {
          actorUserId: actor.userId,
          actor: actor.email,
          action: c.action,
          targetType: "document",
          target: c.slug,
          revision: saved.revision,
          details: { ...c.details, baseRevision: c.baseRevision || null, message: c.change.message },
          ip: actor.ip,
        });
      }
      return { ok: true as const, slug: c.slug, revision: saved.revision, outcome: saved.outcome };
    });
  } catch (error) {
    if (error instanceof RevisionConflictError || isUniqueViolation(error)) {
      const current = await getCurrentRevision(db, c.slug);
      if (current) throw new DocumentConflictError(c.slug, c.baseRevision, current, c.change);
    }
    throw error;
  }
}

/**
 * True for a unique-constraint violation on a document's slug or revision number: two saves that
 * both found no document (racing creates) or the same current revision. postgres.js and PGlite
 * both put SQLSTATE 23505 on the error; drizzle wraps it in `cause`.
 */
function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (e.code === "23505") {
      const constraint = (e as { constraint_name?: string; constraint?: string }).constraint_name ?? (e as { constraint?: string }).constraint;
      return constraint === undefined || constraint === "documents_slug_unique" || constraint === "revisions_document_number";
    }
  }
  return false;
}
