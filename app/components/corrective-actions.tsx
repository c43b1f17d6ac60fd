/**
 * Corrective actions in pages: status and overdue badges, the inline edit form of a list row
 * (works as a plain POST without JavaScript; with it, useFetcher updates the row in place), and a
 * compact list for the system and postmortem pages.
 */
import { Link, useFetcher } from "@remix-run/react";
import { ACTION_STATUSES, type ActionStatus } from "../../db/schema/enums";
import { ACTION_SOURCE_LABELS, ACTION_STATUS_LABELS } from "~/corrective-actions/filters";

/** What the list and the compact list need of an action (ActionListItem, serialised). */
export interface ActionView {
  id: string;
  title: string;
  owner: string;
  dueDate: string | null;
  status: ActionStatus;
  version: number;
  ageDays: number;
  overdue: boolean;
  daysOverdue: number;
  source: { type: "incident" | "drill" | "inspection"; label: string; href: string };
  systems: Array<{ slug: string; name: string; team: string | null; teamName: string | null }>;
}

/** What the /actions action answers for one row. */
export type ActionEditResult =
  | { ok: true; id: string; outcome: "updated" | "unchanged"; version: number }
  | { ok: false; id: string; kind: "invalid"; error: string; fieldErrors: Record<string, string>; values: EditValues }
  | {
      ok: false;
      id: string;
      kind: "conflict";
      error: string;
      current: { status: ActionStatus; owner: string; dueDate: string | null; version: number };
      values: EditValues;
    }
  | { ok: false; id: string; kind: "not_found"; error: string };

export interface EditValues {
  status: string;
  owner: string;
  dueDate: string;
}

export function ActionStatusBadge({ status }: { status: ActionStatus }) {
  return <span className={`badge badge-action-${status}`}>{ACTION_STATUS_LABELS[status]}</span>;
}

/** "Overdue by N days" in words (the row colour is only a second signal). */
export function OverdueText({ action }: { action: Pick<ActionView, "overdue" | "daysOverdue"> }) {
  if (!action.overdue) return null;
  return (
    <strong className="overdue-text">
      Overdue by {action.daysOverdue} {action.daysOverdue === 1 ? "day" : "days"}
    </strong>
  );
}

function SourceLink({ action }: { action: ActionView }) {
  return (
    <>
      <span className="muted small">{ACTION_SOURCE_LABELS[action.source.type]}: </span>
      <Link to={action.source.href}>{action.source.label.replace(/^(Drill|Inspection): /, "")}</Link>
    </>
  );
}

/**
 * One row of the /actions table. Editors get a small form (status, owner, due date + the row's
 * version) posting to `formAction`; viewers see the values.
 */
export function ActionRow({ action, canEdit, formAction, pageResult }: { action: ActionView; canEdit: boolean; formAction: string; pageResult?: ActionEditResult }) {
  const fetcher = useFetcher<ActionEditResult>({ key: `action-${action.id}` });
  const result = fetcher.data ?? (pageResult?.id === action.id ? pageResult : undefined);
  const failed = result && !result.ok ? result : undefined;
  const kept = failed && "values" in failed ? failed.values : undefined;
  const version = failed?.kind === "conflict" ? failed.current.version : action.version;
  const busy = fetcher.state !== "idle";
  const fieldId = (name: string) => `action-${action.id}-${name}`;
  const fieldError = failed?.kind === "invalid" ? failed.fieldErrors : {};
  const resetKey = `${action.version}-${failed ? JSON.stringify(kept) : "clean"}`;
  return (
    <tr className={action.overdue ? "action-overdue" : undefined}>
      <td>
        <strong>{action.title}</strong>
        <div className="small">
          <SourceLink action={action} />
        </div>
        {action.systems.length > 0 ? (
          <div className="muted small">
            {action.systems.map((s, i) => (
              <span key={s.slug}>
                {i > 0 ? ", " : ""}
                <Link to={`/systems/${s.slug}`}>{s.name}</Link>
                {s.teamName ? ` (${s.teamName})` : ""}
              </span>
            ))}
          </div>
        ) : null}
      </td>
      <td>
        {action.dueDate ?? <span className="muted">none</span>}
        <div>
          <OverdueText action={action} />
        </div>
      </td>
      <td className="small">{action.ageDays} d</td>
      {canEdit ? (
        <td>
          <fetcher.Form method="post" action={formAction} className="action-edit" key={resetKey} aria-label={`Edit ${action.title}`}>
            <input type="hidden" name="id" value={action.id} />
            <input type="hidden" name="version" value={version} />
            <div className="field">
              <label htmlFor={fieldId("status")} className="visually-hidden">
                Status
              </label>
              <select id={fieldId("status")} name="status" defaultValue={kept?.status ?? action.status} aria-invalid={fieldError.status ? true : undefined}>
                {ACTION_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {ACTION_STATUS_LABELS[s]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={fieldId("owner")} className="visually-hidden">
                Owner
              </label>
              <input
                id={fieldId("owner")}
                name="owner"
                type="text"
                required
                defaultValue={kept?.owner ?? action.owner}
                aria-invalid={fieldError.owner ? true : undefined}
                aria-describedby={fieldError.owner ? fieldId("owner-error") : undefined}
              />
            </div>
            <div className="field">
              <label htmlFor={fieldId("due")} className="visually-hidden">
                Due date
              </label>
              <input
                id={fieldId("due")}
                name="dueDate"
                type="date"
                defaultValue={kept?.dueDate ?? action.dueDate ?? ""}
                aria-invalid={fieldError.dueDate ? true : undefined}
                aria-describedby={fieldError.dueDate ? fieldId("due-error") : undefined}
              />
            </div>
            <button type="submit" disabled={busy}>
              {busy ? "Saving…" : "Save"}
            </button>
            {result?.ok && result.outcome === "updated" && fetcher.data ? (
              <span className="small muted" role="status">
                Saved
              </span>
            ) : null}
            {failed ? (
              <div className="action-edit-error" role="alert">
                <p className="field-error">{failed.error}</p>
                {fieldError.owner ? <p id={fieldId("owner-error")} className="field-error">Owner {fieldError.owner}</p> : null}
                {fieldError.dueDate ? <p id={fieldId("due-error")} className="field-error">Due date {fieldError.dueDate}</p> : null}
                {failed.kind === "conflict" ? (
                  <dl className="conflict-values small">
                    <dt>Now saved (version {failed.current.version})</dt>
                    <dd>
                      {ACTION_STATUS_LABELS[failed.current.status]} · {failed.current.owner} · due {failed.current.dueDate ?? "none"}
                    </dd>
                    <dt>Yours (not saved; in the form)</dt>
                    <dd>
                      {ACTION_STATUS_LABELS[failed.values.status as ActionStatus] ?? failed.values.status} · {failed.values.owner} · due{" "}
                      {failed.values.dueDate || "none"}
                    </dd>
                  </dl>
                ) : null}
              </div>
            ) : null}
          </fetcher.Form>
        </td>
      ) : (
        <>
          <td>
            <ActionStatusBadge status={action.status} />
          </td>
          <td>{action.owner}</td>
        </>
      )}
    </tr>
  );
}

/** A short list of actions (title, source, owner, due date, status) for system and postmortem pages. */
export function CompactActionList({ actions, empty }: { actions: ActionView[]; empty: string }) {
  if (actions.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <ul className="plain-list">
      {actions.map((a) => (
        <li key={a.id} className={a.overdue ? "action-overdue" : undefined}>
          <strong>{a.title}</strong> <ActionStatusBadge status={a.status} />
          <div className="small">
            {a.owner} · due {a.dueDate ?? "none"} <OverdueText action={a} />
          </div>
          <div className="small">
            <SourceLink action={a} />
          </div>
        </li>
      ))}
    </ul>
  );
}
