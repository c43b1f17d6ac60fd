import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { KindBadge } from "~/components/badges";
import { DocumentEditor } from "~/components/document-editor";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireRole } from "~/auth/session.server";
import { valuesFromRevision } from "~/docs/editor";
import { editorOptions, editorState, submitEditor } from "~/docs/editor.server";
import { getCurrentRevision } from "~/docs/history.server";
import { documentHref, historyHref } from "~/docs/slug";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Edit: ${data.title} · Drillbook` : "Edit · Drillbook" }];

function slugOf(params: LoaderFunctionArgs["params"]): string {
  return (params["*"] ?? "").replace(/\/+$/, "");
}

/** GET /edit/<slug>: the editor on the current revision (editor role). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireRole(request, "editor");
  const slug = slugOf(params);
  const { db } = await getRuntime();
  const [current, choices] = await Promise.all([getCurrentRevision(db, slug), editorOptions(db)]);
  invariantResponse(current, `No document has the address /docs/${slug}, so there is nothing to edit.`);
  return {
    slug,
    title: current.title,
    kind: current.metadata.kind,
    revision: current.number,
    choices,
    state: await editorState(db, valuesFromRevision(slug, current), current.number),
  };
}

/** POST /edit/<slug>: preview or save a new revision (see submitEditor); redirects to the document. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  return submitEditor(request, context, viewer, slugOf(params));
}

export default function EditDocumentPage() {
  const { slug, title, kind, revision, choices, state: fresh } = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const state = submitted ?? fresh;
  return (
    <>
      <p className="small muted">
        <KindBadge kind={kind} /> Editing <Link to={documentHref(slug)}>{title}</Link>, revision {state.baseRevision ?? revision} ·{" "}
        <Link to={historyHref(slug)}>History</Link>
      </p>
      <h1>Edit: {title}</h1>
      <DocumentEditor mode="edit" state={state} choices={choices} slug={slug} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
