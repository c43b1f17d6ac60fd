import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Timestamp } from "~/components/badges";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { choicesOf, Field, SelectField, TextField } from "~/components/ui/field";
import { FilterBar, ListCount } from "~/components/ui/filter-bar";
import { Pager } from "~/components/ui/pager";
import { AUDIT_PAGE_SIZE, auditVocabulary, listAuditEntries, parseAuditParams } from "~/audit/queries.server";
import { requireRole } from "~/auth/session.server";
import { documentHref } from "~/docs/slug";
import { getRuntime } from "~/lib/runtime.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Drillbook" }];

/**
 * GET /admin/audit?actor=&action=&targetType=&target=&from=&to=&page= (admins): the audit log,
 * newest first, 50 per page; a bad filter shows its message (400).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  await requireRole(request, "admin");
  const url = new URL(request.url);
  const params = new URLSearchParams(url.searchParams);
  const page = Math.max(1, Math.floor(Number(params.get("page")) || 1));
  params.delete("limit");
  params.delete("offset");
  const parsed = parseAuditParams(params);
  const { db } = await getRuntime();
  const vocabulary = await auditVocabulary(db);
  if (!parsed.ok) {
    return data({ error: parsed.error, values: parsed.values, entries: [], total: 0, page: 1, pageSize: AUDIT_PAGE_SIZE, vocabulary, query: "" }, { status: 400 });
  }
  const { entries, total } = await listAuditEntries(db, parsed.filters, { limit: AUDIT_PAGE_SIZE, offset: (page - 1) * AUDIT_PAGE_SIZE });
  const query = new URLSearchParams(Object.entries(parsed.values).filter(([, v]) => v.trim() !== "")).toString();
  return { error: null, values: parsed.values, entries, total, page, pageSize: AUDIT_PAGE_SIZE, vocabulary, query };
}

const TARGET_LINKS: Record<string, (target: string) => string> = {
  document: (t) => documentHref(t),
  system: (t) => `/systems/${encodeURIComponent(t)}`,
  team: (t) => `/teams#${encodeURIComponent(t)}`,
  sla: () => "/admin/slas",
};

export default function AuditPage() {
  const { error, values, entries, total, page, pageSize, vocabulary, query } = useLoaderData<typeof loader>();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <>
      <h1>Audit log</h1>
      <p className="muted">
        Every write and sign-in, newest first. Entries are append-only: the database refuses to change or delete them. Times are UTC.
      </p>
      <FilterBar label="Filter the audit log" clearTo="/admin/audit" canClear={query !== ""}>
        <TextField prefix="audit" name="actor" label="Actor" value={values.actor} placeholder="e-mail or part of it" />
        <Field id="audit-action" label="Action starts with">
          <input id="audit-action" type="text" name="action" defaultValue={values.action} placeholder="system." list="audit-actions" />
          <datalist id="audit-actions">
            {vocabulary.actions.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </Field>
        <SelectField
          prefix="audit"
          id="audit-target-type"
          name="targetType"
          label="Target type"
          value={values.targetType}
          choices={[{ value: "", label: "any" }, ...choicesOf([...new Set([...vocabulary.targetTypes, ...(values.targetType ? [values.targetType] : [])])])]}
        />
        <TextField prefix="audit" name="target" label="Target" value={values.target} placeholder="slug, id or e-mail" />
        <TextField prefix="audit" name="from" label="From" type="date" value={values.from} />
        <TextField prefix="audit" name="to" label="To" type="date" value={values.to} />
      </FilterBar>
      <ListCount error={error} total={total} one="entry" many="entries" none="No entries match." csvHref={`/admin/audit.csv${query ? `?${query}` : ""}`} />
      {entries.length > 0 ? (
        <table className="data small">
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Actor</th>
              <th scope="col">Action</th>
              <th scope="col">Target</th>
              <th scope="col">Details</th>
              <th scope="col">Address</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((e) => {
              const link = e.targetType && e.target ? TARGET_LINKS[e.targetType]?.(e.target) : undefined;
              return (
                <tr key={e.id}>
                  <td>
                    <Timestamp value={e.at} />
                  </td>
                  <td>{e.actor}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.targetType ? <span className="muted">{e.targetType} </span> : null}
                    {e.target ? link ? <a href={link}>{e.target}</a> : e.target : null}
                    {e.revision !== null ? <span className="muted"> (revision {e.revision})</span> : null}
                  </td>
                  <td>
                    <AuditDetails details={e.details} />
                  </td>
                  <td>{e.ip ?? ""}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <Pager page={page} pages={pages} search={query} order="newest-first" />
    </>
  );
}

type Change = { before: unknown; after: unknown };
const isChange = (v: unknown): v is Change => !!v && typeof v === "object" && "before" in v && "after" in v && Object.keys(v).length === 2;
const show = (v: unknown) => (v === null || v === undefined ? "—" : typeof v === "string" ? v : JSON.stringify(v));

/** Changed fields as "field: before → after"; any other details as JSON. */
function AuditDetails({ details }: { details: Record<string, unknown> }) {
  const entries = Object.entries(details ?? {});
  if (entries.length === 0) return null;
  if (entries.every(([, v]) => isChange(v))) {
    return (
      <ul className="plain-list">
        {entries.map(([field, change]) => (
          <li key={field}>
            <strong>{field}</strong>: <del>{show((change as Change).before)}</del> → <ins>{show((change as Change).after)}</ins>
          </li>
        ))}
      </ul>
    );
  }
  return <code style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{JSON.stringify(details)}</code>;
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
