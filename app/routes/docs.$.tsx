import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { KIND_LABELS, KindBadge, StatusBadge, SystemLink, TierBadge, Timestamp } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { getDocument } from "~/docs/queries.server";
import { renderRevision } from "~/docs/render.server";
import { documentHref, editHref, historyHref } from "~/docs/slug";
import { invariantResponse } from "~/lib/http.server";
import { requireReader, roleAtLeast } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";
import { reviewState } from "~/docs/review";
import { PlanContinuityPanel } from "~/components/continuity";
import { getPlanContinuity } from "~/continuity/continuity.server";
import { DocumentIncidentPanel } from "~/components/incidents";
import { documentIncidents } from "~/incidents/incidents.server";
import { PostmortemActions } from "~/components/reliability";
import { postmortemActionsPanel } from "~/metrics/reliability-page.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.title} · ${KIND_LABELS[data.kind]} · Drillbook` : "Not found · Drillbook" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const slug = (params["*"] ?? "").replace(/\/+$/, "");
  const { db } = await getRuntime();
  const detail = await getDocument(db, slug);
  invariantResponse(detail, `No document has the address /docs/${slug}.`);
  const search = new URL(request.url).searchParams;
  const continuity =
    detail.document.kind === "contingency_plan"
      ? await getPlanContinuity(db, detail.document.slug, new Date(), { drillPage: Number(search.get("drills")) || 1 })
      : null;
  const rendered = renderRevision(detail.revision.id, detail.revision.title, detail.revision.body, detail.wikiTargets);
  return {
    slug: detail.document.slug,
    title: detail.revision.title,
    kind: detail.document.kind,
    status: detail.document.status,
    sourcePath: detail.document.sourcePath,
    lastReviewed: detail.document.lastReviewed,
    review: reviewState(detail.document.lastReviewed, new Date()),
    revision: { number: detail.revision.number, createdAt: detail.revision.createdAt, author: detail.revision.author },
    owner: detail.owner,
    systems: detail.systems,
    tags: detail.tags,
    alerts: detail.alerts,
    backlinks: detail.backlinks,
    html: rendered.html,
    toc: rendered.toc,
    canEdit: viewer !== null && roleAtLeast(viewer.role, "editor"),
    continuity,
    incidents: await documentIncidents(db, detail.document),
    postmortemActions: detail.document.kind === "postmortem" ? await postmortemActionsPanel(db, detail.document.id) : null,
    reviewed: search.has("reviewed"),
  };
}

export default function DocumentPage() {
  const doc = useLoaderData<typeof loader>();
  const articleRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    // Progressive enhancement: copy buttons on code blocks, and runbook steps that can be ticked off.
    const root = articleRef.current;
    if (!root) return;
    const onClick = async (event: MouseEvent) => {
      const button = (event.target as HTMLElement).closest<HTMLButtonElement>("[data-copy]");
      if (!button) return;
      const code = button.parentElement?.querySelector("code")?.textContent ?? "";
      try {
        await navigator.clipboard.writeText(code);
        button.textContent = "Copied";
      } catch {
        button.textContent = "Select and copy";
      }
      setTimeout(() => (button.textContent = "Copy"), 1500);
    };
    root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]').forEach((box) => (box.disabled = false));
    root.addEventListener("click", onClick);
    return () => root.removeEventListener("click", onClick);
  }, [doc.html]);

  const criticalWindows = doc.systems.flatMap((s) => s.criticalWindows.map((w) => ({ ...w, system: s.name })));
  const escalation = doc.kind === "runbook" ? doc.systems.find((s) => s.escalation.length > 0) : undefined;

  return (
    <div className="doc-layout">
      <article>
        <header className="doc-header">
          <div className="meta">
            <KindBadge kind={doc.kind} />
            <StatusBadge status={doc.status} />
            <span>
              Revision {doc.revision.number} · <Timestamp value={doc.revision.createdAt} /> · {doc.revision.author}
            </span>
            <span className="doc-actions">
              {doc.canEdit ? (
                <>
                  <Link to={editHref(doc.slug)}>Edit</Link> ·{" "}
                </>
              ) : null}
              <Link to={historyHref(doc.slug)}>History</Link>
            </span>
          </div>
          <h1>{doc.title}</h1>
          <div className="meta">
            {doc.lastReviewed ? (
              <span className={doc.review === "stale" ? "review-stale" : undefined}>
                Last reviewed {doc.lastReviewed}
                {doc.review === "stale" ? " — over a year ago, check before relying on it" : ""}
              </span>
            ) : (
              <span>Never reviewed</span>
            )}
            {doc.owner ? (
              <span>
                Owner: <Link to={`/teams#${doc.owner.slug}`}>{doc.owner.name}</Link>
              </span>
            ) : null}
          </div>
        </header>
        {doc.continuity ? <PlanContinuityPanel plan={doc.continuity} canEdit={doc.canEdit} reviewed={doc.reviewed} /> : null}
        <div className="markdown" ref={articleRef} dangerouslySetInnerHTML={{ __html: doc.html }} />
      </article>
      <aside className="doc-aside">
        {doc.toc.length > 0 ? (
          <section className="toc">
            <h2>Contents</h2>
            <ol className="plain">
              {doc.toc.map((entry) => (
                <li key={entry.id} className={`toc-${entry.level}`} style={{ listStyle: "none" }}>
                  <a href={`#${entry.id}`}>{entry.text}</a>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        <section>
          <h2>Systems</h2>
          {doc.systems.length === 0 ? (
            <p className="muted">Not linked to a system.</p>
          ) : (
            <ul className="plain-list">
              {doc.systems.map((s) => (
                <li key={s.slug}>
                  <SystemLink system={s} /> <TierBadge tier={s.tier} />
                </li>
              ))}
            </ul>
          )}
        </section>
        {criticalWindows.length > 0 ? (
          <section>
            <h2>Critical windows</h2>
            <ul className="plain-list">
              {criticalWindows.map((w, i) => (
                <li key={i}>
                  <strong>{w.name}</strong> ({w.system})<br />
                  <span className="muted small">
                    {w.days.replace("_", " ")} {w.start}–{w.end} {w.timezone}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {escalation ? (
          <section>
            <h2>Escalation ({escalation.name})</h2>
            <ol className="plain-list">
              {escalation.escalation.map((level, i) => (
                <li key={i}>
                  <strong>{level.level}</strong> {level.team}
                  <div className="muted small">{[level.region, level.hours, level.contact].filter(Boolean).join(" · ")}</div>
                </li>
              ))}
            </ol>
          </section>
        ) : null}
        {doc.alerts.length > 0 ? (
          <section>
            <h2>Alerts</h2>
            <ul className="plain-list">
              {doc.alerts.map((a) => (
                <li key={a}>
                  <code>{a}</code>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
        {doc.tags.length > 0 ? (
          <section>
            <h2>Tags</h2>
            <p>
              {doc.tags.map((t) => (
                <span key={t} className="badge" style={{ marginRight: 4 }}>
                  {t}
                </span>
              ))}
            </p>
          </section>
        ) : null}
        <DocumentIncidentPanel data={doc.incidents} />
        {doc.postmortemActions ? <PostmortemActions actions={doc.postmortemActions} /> : null}
        <section>
          <h2>Linked from</h2>
          {doc.backlinks.length === 0 ? (
            <p className="muted">No other document links here.</p>
          ) : (
            <ul className="plain-list">
              {doc.backlinks.map((b) => (
                <li key={b.slug}>
                  <a href={documentHref(b.slug)}>{b.title}</a> <KindBadge kind={b.kind} />
                </li>
              ))}
            </ul>
          )}
        </section>
        {doc.sourcePath ? (
          <section>
            <h2>Source</h2>
            <p className="small">
              <code>{doc.sourcePath}</code>
            </p>
          </section>
        ) : null}
      </aside>
    </div>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
