/**
 * Filters of the corrective-action list (/actions, /actions.csv): read from a query string,
 * checked, and turned back into one for links. Pure: no database, usable in the browser.
 */
import { ACTION_SOURCES, ACTION_STATUSES, type ActionSource, type ActionStatus } from "../../db/schema/enums";

export const ACTION_STATUS_LABELS: Record<ActionStatus, string> = {
  open: "Open",
  in_progress: "In progress",
  done: "Done",
  wont_do: "Won't do",
};

export const ACTION_SOURCE_LABELS: Record<ActionSource, string> = {
  incident: "Incident",
  drill: "Drill",
  inspection: "Inspection",
};

/** Without a status filter the list shows what still needs doing. */
export const DEFAULT_ACTION_STATUSES: ActionStatus[] = ["open", "in_progress"];

export const ACTIONS_PAGE_SIZE = 50;

export interface ActionFilters {
  /** System slug: actions whose source touches it. */
  system: string | null;
  /** Team slug: actions whose source touches a system the team owns. */
  team: string | null;
  /** Part of the owner, case-insensitive. */
  owner: string | null;
  statuses: ActionStatus[];
  source: ActionSource | null;
}

/** The filters as given, for re-showing them in the form. */
export interface ActionFilterValues {
  system: string;
  team: string;
  owner: string;
  status: string[];
  source: string;
}

export type ActionFiltersResult =
  | { ok: true; filters: ActionFilters; values: ActionFilterValues; page: number }
  | { ok: false; parameter: string; error: string; values: ActionFilterValues };

const SLUG = /^[a-z0-9][a-z0-9._/-]{0,199}$/;

/**
 * Reads `system`, `team`, `owner`, `status` (repeated or comma-separated: open, in_progress,
 * done, wont_do; default open + in_progress), `source` (incident, drill, inspection) and `page`.
 * A bad value is refused naming the parameter; the typed values come back either way.
 */
export function parseActionFilters(params: URLSearchParams): ActionFiltersResult {
  const get = (name: string) => (params.get(name) ?? "").trim();
  const status = params
    .getAll("status")
    .flatMap((s) => s.split(","))
    .map((s) => s.trim())
    .filter(Boolean);
  const values: ActionFilterValues = { system: get("system"), team: get("team"), owner: get("owner"), status, source: get("source") };
  for (const name of ["system", "team"] as const) {
    if (values[name] && !SLUG.test(values[name])) return { ok: false, parameter: name, error: `${name} must be a slug such as swift-connector`, values };
  }
  if (values.owner.length > 200) return { ok: false, parameter: "owner", error: "owner is at most 200 characters", values };
  const unknown = status.find((s) => !(ACTION_STATUSES as readonly string[]).includes(s));
  if (unknown) return { ok: false, parameter: "status", error: `status must be one of ${ACTION_STATUSES.join(", ")} (got "${unknown}")`, values };
  if (values.source && !(ACTION_SOURCES as readonly string[]).includes(values.source)) {
    return { ok: false, parameter: "source", error: `source must be one of ${ACTION_SOURCES.join(", ")} (got "${values.source}")`, values };
  }
  const pageRaw = get("page");
  const page = pageRaw === "" ? 1 : Number(pageRaw);
  if (!Number.isInteger(page) || page < 1) return { ok: false, parameter: "page", error: "page must be a whole number from 1", values };
  return {
    ok: true,
    values,
    page,
    filters: {
      system: values.system || null,
      team: values.team || null,
      owner: values.owner || null,
      statuses: status.length > 0 ? [...new Set(status)] as ActionStatus[] : DEFAULT_ACTION_STATUSES,
      source: (values.source || null) as ActionSource | null,
    },
  };
}

/** The query string of the filters (without `page`), for pagination, CSV and redirects. */
export function actionFiltersQuery(values: ActionFilterValues): string {
  const q = new URLSearchParams();
  for (const key of ["system", "team", "owner", "source"] as const) if (values[key]) q.set(key, values[key]);
  for (const s of values.status) q.append("status", s);
  return q.toString();
}
