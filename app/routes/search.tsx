import { data as withStatus, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useSubmit } from "@remix-run/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { KIND_LABELS, KindBadge, StatusBadge } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { PagerNav } from "~/components/ui/pager";
import { catalogNames } from "~/catalog/queries.server";
import { documentHref } from "~/docs/slug";
import { requireReader } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";
import { parseSearchParams } from "~/search/params";
import type { FacetName } from "~/search/types";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? `${data.q} · Search · Drillbook` : "Search · Drillbook" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireReader(request);
  const url = new URL(request.url);
  const parsed = parseSearchParams(url.searchParams);
  const q = url.searchParams.get("q") ?? "";
  const { db, search } = await getRuntime();
  const names = await catalogNames(db);
  if (!parsed.ok) {
    return withStatus({ q, error: parsed.error as string | null, result: null, names, selected: {}, offset: 0, limit: 20 }, { status: 400 });
  }
  const result = await search.search(parsed.query);
  return withStatus({
    q,
    error: null as string | null,
    result: result as typeof result | null,
    names,
    selected: parsed.query.filters ?? {},
    offset: parsed.query.offset ?? 0,
    limit: parsed.query.limit ?? 20,
  });
}

const FACET_LABELS: Record<FacetName, string> = { kind: "Kind", system: "System", team: "Team", tier: "Tier", status: "Status" };

export default function SearchPage() {
  const data = useLoaderData<typeof loader>();
  const { q, error, result, names, offset, limit } = data;
  const selected = data.selected as Record<string, Array<string | number>>;
  const submit = useSubmit();
  const listRef = useRef<HTMLOListElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const debounce = useRef<ReturnType<typeof setTimeout>>();
  const [text, setText] = useState(q);
  useEffect(() => {
    // Follow navigation (header search, back button), but never overwrite what is being typed.
    if (document.activeElement !== inputRef.current) setText(q);
  }, [q]);
  const onFormChange = (event: FormEvent<HTMLFormElement>) => {
    const form = event.currentTarget;
    clearTimeout(debounce.current);
    // Search as you type (debounced); filters apply at once.
    const delay = (event.target as HTMLElement).getAttribute("type") === "search" ? 250 : 0;
    debounce.current = setTimeout(() => submit(form, { replace: true, preventScrollReset: true }), delay);
  };

  useEffect(() => {
    // Arrow keys (or j/k) move between results; Enter follows the focused link.
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement;
      const inInput = /^(input|textarea|select)$/i.test(target.tagName);
      const down = event.key === "ArrowDown" || (!inInput && event.key === "j");
      const up = event.key === "ArrowUp" || (!inInput && event.key === "k");
      if (!down && !up) return;
      const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>("a.hit-title") ?? [])];
      if (links.length === 0) return;
      const index = links.indexOf(document.activeElement as HTMLAnchorElement);
      if (inInput && !down) return;
      event.preventDefault();
      const next = index < 0 ? 0 : Math.min(links.length - 1, Math.max(0, index + (down ? 1 : -1)));
      links[next]!.focus();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, []);

  const facetLabel = (facet: FacetName, value: string) => {
    if (facet === "kind") return KIND_LABELS[value as keyof typeof KIND_LABELS] ?? value;
    if (facet === "system") return names.systems[value] ?? value;
    if (facet === "team") return names.teams[value] ?? value;
    if (facet === "tier") return `Tier ${value}`;
    return value;
  };
  const pageHref = (newOffset: number) => {
    const params = new URLSearchParams();
    if (q) params.set("q", q);
    for (const [key, values] of Object.entries(selected)) for (const v of values) params.append(key, String(v));
    if (newOffset > 0) params.set("offset", String(newOffset));
    return `/search?${params}`;
  };

  return (
    <>
      <h1>Search</h1>
      <Form method="get" action="/search" role="search" id="search-form" onChange={onFormChange}>
        <div style={{ display: "flex", gap: "0.5rem", marginBottom: "1rem" }}>
          <input
            type="search"
            name="q"
            ref={inputRef}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="Alert name, symptom, system or phrase"
            aria-label="Search query"
            style={{ flex: 1 }}
            autoComplete="off"
            autoFocus={!q}
            data-search-input
          />
          <button type="submit">Search</button>
        </div>
        {error ? (
          <p className="empty" role="alert">
            {error}
          </p>
        ) : null}
        {result ? (
          <div className="search-layout">
            <aside className="facets" aria-label="Filters">
              {(Object.keys(FACET_LABELS) as FacetName[]).map((facet) => {
                const counts = Object.entries(result.facets[facet] ?? {}).sort((a, b) => b[1] - a[1]);
                const chosen = (selected[facet] ?? []).map(String);
                const values = [...new Set([...chosen, ...counts.map(([v]) => v)])];
                if (values.length === 0) return null;
                return (
                  <fieldset key={facet}>
                    <legend>{FACET_LABELS[facet]}</legend>
                    {values.slice(0, 12).map((value) => (
                      <label key={value}>
                        <input type="checkbox" name={facet} value={value} defaultChecked={chosen.includes(value)} />
                        {facetLabel(facet, value)}
                        <span className="count">{result.facets[facet]?.[value] ?? 0}</span>
                      </label>
                    ))}
                  </fieldset>
                );
              })}
              <noscript>
                <button type="submit">Apply filters</button>
              </noscript>
            </aside>
            <section aria-live="polite">
              <p className="muted small">
                {result.total} result{result.total === 1 ? "" : "s"} in {result.tookMs.toFixed(1)} ms
                {result.hits.length > 0 ? " · ↑/↓ to move, Enter to open" : ""}
              </p>
              {result.hits.length === 0 ? (
                <div className="empty">
                  <p>
                    Nothing matches{q ? <> “{q}”</> : null}
                    {Object.keys(selected).length > 0 ? " with these filters" : ""}.
                  </p>
                  <p>
                    Try the alert name as it fires (e.g. <code>KubePodCrashLooping</code>), a symptom (“replication lag”), a
                    system name, or fewer filters. Browse <Link to="/systems">systems</Link> to find their runbooks.
                  </p>
                </div>
              ) : (
                <ol className="hits" ref={listRef}>
                  {result.hits.map((hit) => (
                    <li key={hit.id} className="hit">
                      <a className="hit-title" href={documentHref(hit.slug)} dangerouslySetInnerHTML={{ __html: hit.titleHtml }} />
                      <div className="hit-meta">
                        <KindBadge kind={hit.kind} />
                        <StatusBadge status={hit.status} />
                        {hit.systems.map((s) => (
                          <span key={s}>{names.systems[s] ?? s}</span>
                        ))}
                        {hit.alerts.slice(0, 3).map((a) => (
                          <code key={a}>{a}</code>
                        ))}
                        {hit.sourcePath ? <span title="Imported from">{hit.sourcePath}</span> : null}
                      </div>
                      {hit.snippet ? <p className="hit-snippet" dangerouslySetInnerHTML={{ __html: hit.snippet }} /> : null}
                    </li>
                  ))}
                </ol>
              )}
              {result.total > limit ? (
                <PagerNav
                  prevHref={offset > 0 ? pageHref(Math.max(0, offset - limit)) : null}
                  nextHref={offset + limit < result.total ? pageHref(offset + limit) : null}
                  status={
                    <>
                      {offset + 1}–{Math.min(offset + limit, result.total)} of {result.total}
                    </>
                  }
                />
              ) : null}
            </section>
          </div>
        ) : null}
      </Form>
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
