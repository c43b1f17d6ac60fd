import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Timestamp } from "~/components/badges";
import { DiffView, MetadataChanges } from "~/components/diff-view";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { requireReader } from "~/auth/session.server";
import { compareRevisions, listRevisions } from "~/docs/history.server";
import { documentHref, historyHref } from "~/docs/slug";
import { invariantResponse } from "~/lib/http.server";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `Revision ${data.from.number} → ${data.to.number}: ${data.title} · Drillbook` : "Compare · Drillbook" },
];

const revisionParam = z.preprocess((v) => (v === null || v === "" ? undefined : v), z.coerce.number().int().min(1).optional());

/**
 * GET /compare/<slug>?from=&to= (reader): the diff between any two revisions. `to` defaults to the
 * current revision and `from` to the one before `to`. 400 for a malformed number, 404 for an
 * unknown document or revision.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireReader(request);
  const slug = (params["*"] ?? "").replace(/\/+$/, "");
  const url = new URL(request.url);
  const from = revisionParam.safeParse(url.searchParams.get("from"));
  const to = revisionParam.safeParse(url.searchParams.get("to"));
  invariantResponse(from.success && to.success, "from and to must be revision numbers, e.g. ?from=1&to=3", { status: 400 });
  const { db } = await getRuntime();
  const history = await listRevisions(db, slug);
  invariantResponse(history, `No document has the address /docs/${slug}.`);
  const toNumber = to.data ?? history.document.currentRevision;
  const fromNumber = from.data ?? Math.max(1, toNumber - 1);
  const compared = await compareRevisions(db, slug, fromNumber, toNumber);
  invariantResponse(
    compared,
    `${slug} has revisions 1 to ${history.document.currentRevision}; there is no revision ${Math.max(fromNumber, toNumber)}.`,
  );
  const summary = (r: typeof compared.from) => ({ number: r.number, author: r.author, message: r.message, createdAt: r.createdAt });
  return {
    slug,
    title: history.document.title,
    numbers: history.revisions.map((r) => r.number),
    from: summary(compared.from),
    to: summary(compared.to),
    diff: compared.diff,
  };
}

export default function ComparePage() {
  const { slug, title, numbers, from, to, diff } = useLoaderData<typeof loader>();
  const describe = (r: typeof from) => (
    <>
      revision {r.number} by {r.author}, <Timestamp value={r.createdAt} />
      {r.message ? <> (“{r.message}”)</> : null}
    </>
  );
  return (
    <>
      <p className="small muted">
        <Link to={documentHref(slug)}>{title}</Link> · <Link to={historyHref(slug)}>History</Link>
      </p>
      <h1>Compare revisions: {title}</h1>
      <p>
        From {describe(from)}
        <br />
        to {describe(to)}
        {from.number > to.number ? <strong> (reading backwards: the newer revision is on the left)</strong> : null}
      </p>
      <Form method="get" className="compare-picker">
        <label>
          From{" "}
          <select name="from" defaultValue={from.number} key={`from-${from.number}`}>
            {numbers.map((n) => (
              <option key={n} value={n}>
                Revision {n}
              </option>
            ))}
          </select>
        </label>{" "}
        <label>
          to{" "}
          <select name="to" defaultValue={to.number} key={`to-${to.number}`}>
            {numbers.map((n) => (
              <option key={n} value={n}>
                Revision {n}
              </option>
            ))}
          </select>
        </label>{" "}
        <button type="submit" className="secondary">
          Compare
        </button>
      </Form>
      <h2>Metadata</h2>
      <MetadataChanges changes={diff.metadata} />
      <h2>Text</h2>
      <p className="small muted">
        {diff.stats.added} line{diff.stats.added === 1 ? "" : "s"} added, {diff.stats.removed} removed, {diff.stats.changed} changed.
      </p>
      <DiffView lines={diff.lines} label={`Changes from revision ${from.number} to ${to.number}`} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
