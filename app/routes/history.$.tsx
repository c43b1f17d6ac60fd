import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { KindBadge, Timestamp } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getViewer, requireReader, requireRole, roleAtLeast } from "~/auth/session.server";
import { listRevisions } from "~/docs/history.server";
import { actorFromViewer, DocumentConflictError, DocumentNotFoundError, restoreRevision } from "~/docs/save.server";
import { compareHref, documentHref, editHref, historyHref } from "~/docs/slug";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `History: ${data.title} · Drillbook` : "History · Drillbook" }];

function slugOf(params: LoaderFunctionArgs["params"]): string {
  return (params["*"] ?? "").replace(/\/+$/, "");
}

/** GET /history/<slug>: every revision, newest first (reader). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireReader(request);
  const slug = slugOf(params);
  const { db } = await getRuntime();
  const [history, viewer] = await Promise.all([listRevisions(db, slug), getViewer(request)]);
  invariantResponse(history, `No document has the address /docs/${slug}.`);
  const restored = Number(new URL(request.url).searchParams.get("restored")) || null;
  return {
    slug: history.document.slug,
    title: history.document.title,
    kind: history.document.kind,
    current: history.document.currentRevision,
    revisions: history.revisions,
    canEdit: viewer !== null && roleAtLeast(viewer.role, "editor"),
    restored,
  };
}

const restoreForm = z.object({
  revision: z.coerce.number().int().min(1),
  baseRevision: z.coerce.number().int().min(1),
});

/**
 * POST /history/<slug> with `revision` and `baseRevision` (the current revision the page showed):
 * restores that revision as a new one (editor role), then back to the history. 409 when the
 * document changed since the page was loaded.
 */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const slug = slugOf(params);
  const parsed = restoreForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ error: "Pick a revision to restore." }, { status: 400 });
  const { db, outbox } = await getRuntime();
  try {
    const result = await restoreRevision(db, { slug, ...parsed.data }, actorFromViewer(viewer, context));
    if (!result.ok) return data({ error: Object.values(result.fieldErrors).join(" ") }, { status: 400 });
    await outbox.kick();
    return redirect(`${historyHref(slug)}?restored=${parsed.data.revision}`);
  } catch (error) {
    if (error instanceof DocumentConflictError) {
      return data(
        {
          error: `${error.current.author} saved revision ${error.current.number} after this page was loaded. Look at it, then restore again if you still want to.`,
        },
        { status: 409 },
      );
    }
    if (error instanceof DocumentNotFoundError) throw new Response(error.message, { status: 404 });
    throw error;
  }
}

export default function HistoryPage() {
  const doc = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const defaultFrom = doc.revisions[1]?.number ?? doc.current;
  return (
    <>
      <p className="small muted">
        <KindBadge kind={doc.kind} /> <Link to={documentHref(doc.slug)}>{doc.title}</Link>
        {doc.canEdit ? (
          <>
            {" "}
            · <Link to={editHref(doc.slug)}>Edit</Link>
          </>
        ) : null}
      </p>
      <h1>History: {doc.title}</h1>
      {result?.error ? (
        <p className="notice notice-error" role="alert">
          {result.error}
        </p>
      ) : null}
      {doc.restored ? (
        <p className="notice" role="status">
          Revision {doc.restored} was restored as revision {doc.current}. Earlier revisions are unchanged.
        </p>
      ) : null}
      <p className="muted">
        {doc.revisions.length} revision{doc.revisions.length === 1 ? "" : "s"}. Revisions are never changed or deleted: restoring an old one
        saves its content as a new revision. Pick two to compare.
      </p>
      <form id="compare" method="get" action={compareHref(doc.slug)} />
      <table className="data history">
        <thead>
          <tr>
            <th scope="col">From</th>
            <th scope="col">To</th>
            <th scope="col">Revision</th>
            <th scope="col">Author</th>
            <th scope="col">Saved</th>
            <th scope="col">Message</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {doc.revisions.map((r) => (
            <tr key={r.number} className={r.number === doc.current ? "current" : undefined}>
              <td>
                <input type="radio" form="compare" name="from" value={r.number} defaultChecked={r.number === defaultFrom} aria-label={`Compare from revision ${r.number}`} />
              </td>
              <td>
                <input type="radio" form="compare" name="to" value={r.number} defaultChecked={r.number === doc.current} aria-label={`Compare to revision ${r.number}`} />
              </td>
              <td>
                {r.number}
                {r.number === doc.current ? <span className="badge">current</span> : null}
              </td>
              <td>{r.author}</td>
              <td>
                <Timestamp value={r.createdAt} />
              </td>
              <td>
                {r.message || <span className="muted">—</span>}
                {r.title !== doc.title ? <div className="small muted">Title: {r.title}</div> : null}
              </td>
              <td>
                <div className="history-actions">
                  {r.number > 1 ? <Link to={compareHref(doc.slug, r.number - 1, r.number)}>Changes</Link> : null}
                  {doc.canEdit && r.number !== doc.current ? (
                    <Form method="post">
                      <input type="hidden" name="revision" value={r.number} />
                      <input type="hidden" name="baseRevision" value={doc.current} />
                      <button type="submit" className="secondary small-button" disabled={navigation.state === "submitting"}>
                        Restore
                      </button>
                    </Form>
                  ) : null}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <button type="submit" form="compare">
          Compare selected revisions
        </button>
      </p>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
