import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import type { Choice } from "./field";

/**
 * `<form method="get" class="form form-inline">` above a list: the filter fields (`children`,
 * usually `SelectField`/`TextField` without errors, and `CheckboxGroup`s), a submit button
 * (`submitLabel`, default "Filter") and, while a filter is set (`canClear`), a "Clear" link to
 * `clearTo`; `after` comes last (a dashboard's "Print" button). `label` names the form for screen
 * readers ("Filter incidents"); `className` adds classes ("no-print"). A GET form: the filters live
 * in the URL, so a filtered list can be bookmarked and the pager keeps them.
 */
export function FilterBar({
  label,
  clearTo,
  canClear,
  submitLabel = "Filter",
  className,
  after,
  children,
}: {
  label: string;
  clearTo: string;
  canClear: boolean;
  submitLabel?: string;
  className?: string;
  after?: ReactNode;
  children: ReactNode;
}) {
  return (
    <Form method="get" className={className ? `form form-inline ${className}` : "form form-inline"} aria-label={label}>
      {children}
      <button type="submit">{submitLabel}</button>
      {canClear ? (
        <Link to={clearTo} className="button secondary">
          Clear
        </Link>
      ) : null}
      {after}
    </Form>
  );
}

/**
 * A `<fieldset>` of checkboxes sharing one `name` (a filter that may repeat: `status=open&status=done`),
 * its `<legend>` the group's label; each box sits inside its `<label>`. `layout` "stack" (default)
 * puts one per line, "inline" puts them side by side.
 */
export function CheckboxGroup({ legend, name, choices, checked, layout = "stack" }: { legend: string; name: string; choices: Choice[]; checked: readonly string[]; layout?: "stack" | "inline" }) {
  return (
    <fieldset className={layout === "stack" ? "field checkbox-group" : "field"}>
      <legend>{legend}</legend>
      {choices.map((c) => (
        <label key={c.value} className={layout === "inline" ? "inline-check" : undefined}>
          <input type="checkbox" name={name} value={c.value} defaultChecked={checked.includes(c.value)} /> {c.label}
        </label>
      ))}
    </fieldset>
  );
}

/**
 * The line under a filter bar: the filter's error (`role="alert"`, the loader answered 400), or how
 * many rows match ("1,204 actions"; `none` when nothing does, default no text) followed by
 * "· Download CSV" (`csvHref`, the same filters) when there is something to download.
 */
export function ListCount({ error, total, one, many, none = null, csvHref }: { error: string | null; total: number; one: string; many: string; none?: string | null; csvHref: string }) {
  if (error) {
    return (
      <p className="form-error" role="alert">
        {error}
      </p>
    );
  }
  return (
    <p className="small">
      {total === 0 ? none : `${total.toLocaleString("en")} ${total === 1 ? one : many}`}
      {total > 0 ? (
        <>
          {" "}
          · <a href={csvHref} download>
            Download CSV
          </a>
        </>
      ) : null}
    </p>
  );
}
