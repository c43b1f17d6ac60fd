import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { DOCUMENT_KINDS, type DocumentKind } from "../../db/schema/enums";
import { KIND_LABELS } from "~/components/badges";
import { DocumentEditor, NewDocumentLinks } from "~/components/document-editor";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireRole } from "~/auth/session.server";
import { editorOptions, editorState, submitEditor } from "~/docs/editor.server";
import { documentTemplate } from "~/docs/templates";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `New ${KIND_LABELS[data.kind].toLowerCase()} · Drillbook` : "New document · Drillbook" },
];

/** GET /new?kind=<kind>[&system=<slug>]: the editor with the kind's template (editor role). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "editor");
  const url = new URL(request.url);
  const asked = url.searchParams.get("kind") ?? "article";
  const kind: DocumentKind = (DOCUMENT_KINDS as readonly string[]).includes(asked) ? (asked as DocumentKind) : "article";
  const { db } = await getRuntime();
  const choices = await editorOptions(db);
  const system = url.searchParams.get("system");
  const values = {
    slug: "",
    title: "",
    markdown: documentTemplate(kind),
    kind,
    status: "draft",
    systems: system && choices.systems.some((s) => s.slug === system) ? [system] : [],
    tags: "",
    alerts: "",
    owner: "",
    lastReviewed: "",
    message: "",
  };
  return { kind, choices, state: await editorState(db, values, null) };
}

/** POST /new: preview or create (see submitEditor); redirects to the new document. */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  return submitEditor(request, context, viewer, null);
}

export default function NewDocumentPage() {
  const { kind, choices, state: fresh } = useLoaderData<typeof loader>();
  const submitted = useActionData<typeof action>();
  const state = submitted ?? fresh;
  return (
    <>
      <h1>New {KIND_LABELS[kind].toLowerCase()}</h1>
      <NewDocumentLinks current={kind} />
      <DocumentEditor mode="new" state={state} choices={choices} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
