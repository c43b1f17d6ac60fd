import { data, redirect } from "@remix-run/node";
import { asc } from "drizzle-orm";
import type { Database } from "../../db/client";
import { systems, teams } from "../../db/schema";
import type { Viewer } from "../auth/session.server";
import { getRuntime } from "../lib/runtime.server";
import { diffMetadata, diffText } from "./diff";
import { readEditorForm, type EditorConflict, type EditorState, type EditorValues } from "./editor";
import { getRevision } from "./history.server";
import { renderPreview } from "./preview.server";
import { actorFromViewer, DocumentConflictError, DocumentNotFoundError, saveDocument } from "./save.server";
import { documentHref, slugSegment } from "./slug";

/** Choices for the editor's selects: every system (by tier, then name) and every team. */
export async function editorOptions(db: Database) {
  const [systemRows, teamRows] = await Promise.all([
    db
      .select({ slug: systems.slug, name: systems.name, tier: systems.tier, lifecycle: systems.lifecycle })
      .from(systems)
      .orderBy(asc(systems.tier), asc(systems.name)),
    db.select({ slug: teams.slug, name: teams.name }).from(teams).orderBy(asc(teams.name)),
  ]);
  return { systems: systemRows, teams: teamRows };
}
export type EditorOptions = Awaited<ReturnType<typeof editorOptions>>;

/** A fresh editor state for these values, with the preview rendered. */
export async function editorState(db: Database, values: EditorValues, baseRevision: number | null): Promise<EditorState> {
  return { values, baseRevision, fieldErrors: {}, conflict: null, preview: await renderPreview(db, values.markdown, values.title) };
}

/**
 * Handles a POST of the editor form for a new document (`slug` null: the slug comes from the form,
 * or from the title when left empty) or an existing one. `intent=preview` re-renders the page with
 * the preview (no JavaScript needed); `intent=save` saves and redirects to the document page.
 * A refused save returns the state with everything as typed: 400 with `fieldErrors`, or 409 with
 * `conflict` (their change, base -> current) and `baseRevision` moved to the current revision, so
 * saving again after merging succeeds. A create whose slug is taken is a `slug` field error (409).
 * @throws a 404 Response when the document being edited no longer exists.
 */
export async function submitEditor(request: Request, context: unknown, viewer: Viewer, slug: string | null) {
  const { db, outbox } = await getRuntime();
  const form = await request.formData();
  const values = readEditorForm(form);
  if (slug !== null) values.slug = slug;
  else if (values.slug.trim() === "" && values.title.trim() !== "") values.slug = slugSegment(values.title);
  const base = Number(form.get("baseRevision")) || null;
  const state = await editorState(db, values, base);
  if (form.get("intent") === "preview") return data(state);

  try {
    const result = await saveDocument(
      db,
      {
        ...values,
        slug: values.slug,
        baseRevision: slug === null ? undefined : (base ?? -1),
      },
      actorFromViewer(viewer, context),
    );
    if (!result.ok) return data({ ...state, fieldErrors: result.fieldErrors }, { status: 400 });
    await outbox.kick();
    return redirect(documentHref(result.slug));
  } catch (error) {
    if (error instanceof DocumentConflictError) {
      if (slug === null) {
        const fieldErrors = { slug: `A document already has the address ${error.slug}. Choose another slug, or edit that document instead.` };
        return data({ ...state, fieldErrors }, { status: 409 });
      }
      return data({ ...state, baseRevision: error.current.number, conflict: await conflictView(db, error) }, { status: 409 });
    }
    if (error instanceof DocumentNotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

async function conflictView(db: Database, error: DocumentConflictError): Promise<EditorConflict> {
  const base = await getRevision(db, error.slug, error.baseRevision);
  const from = base ?? { title: error.current.title, body: "", metadata: error.current.metadata };
  const current = error.current;
  return {
    base: error.baseRevision,
    current: {
      number: current.number,
      title: current.title,
      markdown: current.body,
      author: current.author,
      message: current.message,
      createdAt: current.createdAt.toISOString(),
    },
    lines: diffText(from.body, current.body),
    metadata: diffMetadata(from, current),
  };
}
