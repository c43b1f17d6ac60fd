import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { ActionRow, type ActionEditResult } from "~/components/corrective-actions";
import { GeneralErrorBoundary } from "~/components/error-boundary";
import { choicesOf, SelectField, slugChoices, TextField } from "~/components/ui/field";
import { CheckboxGroup, FilterBar, ListCount } from "~/components/ui/filter-bar";
import { Pager } from "~/components/ui/pager";
import { CorrectiveActionConflictError, CorrectiveActionNotFoundError, updateCorrectiveAction } from "~/corrective-actions/actions.server";
import { ACTION_SOURCE_LABELS, ACTION_STATUS_LABELS, actionFiltersQuery, DEFAULT_ACTION_STATUSES, parseActionFilters } from "~/corrective-actions/filters";
import { correctiveActionUpdate } from "~/corrective-actions/input";
import { listCorrectiveActions } from "~/corrective-actions/queries.server";
import { scopeOptions } from "~/metrics/reliability-page.server";
import { actorFromViewer } from "~/docs/save.server";
import { requireReader, requireRole, roleAtLeast } from "~/auth/session.server";
import { getRuntime } from "~/lib/runtime.server";
import { ACTION_SOURCES, ACTION_STATUSES } from "../../db/schema/enums";

const ANY = { value: "", label: "any" };

export const meta: MetaFunction = () => [{ title: "Corrective actions · Drillbook" }];

/**
 * GET /actions?system=&team=&owner=&status=&source=&page= : every corrective action (incidents,
 * drills, inspections), overdue first, 50 per page; a bad filter shows its message (400).
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireReader(request);
  const { db } = await getRuntime();
  const url = new URL(request.url);
  const parsed = parseActionFilters(url.searchParams);
  const options = await scopeOptions(db);
  const canEdit = viewer !== null && roleAtLeast(viewer.role, "editor");
  if (!parsed.ok) {
    return data(
      { error: parsed.error, values: parsed.values, items: [], total: 0, page: 1, pageSize: 50, query: "", options, canEdit, formAction: "/actions" },
      { status: 400 },
    );
  }
  const { items, total, page, pageSize } = await listCorrectiveActions(db, parsed.filters, { page: parsed.page });
  const query = actionFiltersQuery(parsed.values);
  const formAction = `/actions?${new URLSearchParams([...new URLSearchParams(query), ["page", String(page)]]).toString()}`;
  return { error: null, values: parsed.values, items, total, page, pageSize, query, options, canEdit, formAction };
}

/**
 * POST /actions (editors): one row's inline edit, form fields `id`, `version`, `status`, `owner`,
 * `dueDate` (and optionally `notes`). Answers `ActionEditResult`: 200 saved, 400 field errors,
 * 404 unknown id, 409 `{ current, values }` when the row changed since it was loaded.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const viewer = await requireRole(request, "editor");
  const form = await request.formData();
  const id = String(form.get("id") ?? "");
  const values = { status: String(form.get("status") ?? ""), owner: String(form.get("owner") ?? ""), dueDate: String(form.get("dueDate") ?? "") };
  const raw: Record<string, unknown> = { version: form.get("version") ?? undefined };
  for (const key of ["status", "owner", "dueDate", "notes"] as const) if (form.has(key)) raw[key] = String(form.get(key));
  const parsed = correctiveActionUpdate.safeParse(raw);
  if (!id || !parsed.success) {
    const fieldErrors: Record<string, string> = {};
    for (const issue of parsed.error?.issues ?? []) fieldErrors[String(issue.path[0])] ??= issue.message;
    if (!id) fieldErrors.id = "is required";
    const error = `Not saved: ${Object.entries(fieldErrors).map(([f, m]) => `${f} ${m}`).join("; ")}`;
    return data<ActionEditResult>({ ok: false, id, kind: "invalid", error, fieldErrors, values }, { status: 400 });
  }
  const { db } = await getRuntime();
  try {
    const result = await updateCorrectiveAction(db, id, parsed.data, actorFromViewer(viewer, context));
    return data<ActionEditResult>({ ok: true, id, outcome: result.outcome, version: result.action.version });
  } catch (error) {
    if (error instanceof CorrectiveActionConflictError) {
      const { status, owner, dueDate, version } = error.current;
      return data<ActionEditResult>({ ok: false, id, kind: "conflict", error: error.message, current: { status, owner, dueDate, version }, values }, { status: 409 });
    }
    if (error instanceof CorrectiveActionNotFoundError) {
      return data<ActionEditResult>({ ok: false, id, kind: "not_found", error: error.message }, { status: 404 });
    }
    throw error;
  }
}

export default function ActionsPage() {
  const { error, values, items, total, page, pageSize, query, options, canEdit, formAction } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const statuses = values.status.length > 0 ? values.status : DEFAULT_ACTION_STATUSES;
  return (
    <>
      <h1>Corrective actions</h1>
      <p className="muted">
        Follow-ups from incidents, drills and inspections. Overdue actions (still open after their due day, UTC) come first, oldest due date first.
      </p>
      <FilterBar label="Filter corrective actions" clearTo="/actions" canClear={query !== ""}>
        <SelectField prefix="actions" name="system" label="System" value={values.system} choices={[ANY, ...slugChoices(options.systems)]} />
        <SelectField prefix="actions" name="team" label="Team" value={values.team} choices={[ANY, ...slugChoices(options.teams)]} />
        <TextField prefix="actions" name="owner" label="Owner" value={values.owner} placeholder="name or e-mail, or part of it" />
        <CheckboxGroup legend="Status" name="status" choices={choicesOf(ACTION_STATUSES, (s) => ACTION_STATUS_LABELS[s])} checked={statuses} />
        <SelectField prefix="actions" name="source" label="Source" value={values.source} choices={[ANY, ...choicesOf(ACTION_SOURCES, (s) => ACTION_SOURCE_LABELS[s])]} />
      </FilterBar>
      <ListCount error={error} total={total} one="action" many="actions" csvHref={`/actions.csv${query ? `?${query}` : ""}`} />
      {!error && items.length === 0 ? (
        <p className="empty">
          No corrective actions match these filters. Actions are added on incidents, drills and inspections
          {statuses.length < ACTION_STATUSES.length ? "; tick Done and Won't do to see closed ones" : ""}.
        </p>
      ) : null}
      {items.length > 0 ? (
        <table className="data small actions-table">
          <thead>
            <tr>
              <th scope="col">Action, source and systems</th>
              <th scope="col">Due</th>
              <th scope="col">Age</th>
              {canEdit ? (
                <th scope="col">Status · owner · due date</th>
              ) : (
                <>
                  <th scope="col">Status</th>
                  <th scope="col">Owner</th>
                </>
              )}
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <ActionRow key={item.id} action={item} canEdit={canEdit} formAction={formAction} pageResult={actionData} />
            ))}
          </tbody>
        </table>
      ) : null}
      <Pager page={page} pages={pages} search={query} />
    </>
  );
}

export function ErrorBoundary() {
  return <GeneralErrorBoundary />;
}
