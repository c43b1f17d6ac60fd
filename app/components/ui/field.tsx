import { useEffect, useState, type InputHTMLAttributes, type ReactNode } from "react";

/**
 * Form fields: a label, the control, an optional hint and the server's error for it. The forms of
 * Drillbook (admin catalog, drills and inspections, incidents, sign-in, list filters) build their
 * fields from these, so ids, error texts and aria attributes follow one pattern (the document
 * editor keeps its own layout and `field-<name>` ids):
 *
 * - the control's id is `fieldId(prefix, name)`; its hint is `<id>-hint`, its error `<id>-error`;
 * - an error sets `aria-invalid="true"`, and `aria-describedby` names the error, then the hint;
 * - the error summary at the top of a refused form (`ErrorSummary`) links to the same ids.
 *
 * Values are uncontrolled (`defaultValue`): a refused form re-renders with what the person typed.
 */

/** Errors of a refused form by field name (`"name"`, `"sla.rto_minutes"`, `"checklist[2].result"`). */
export type FieldErrors = Record<string, string>;

/** The id of a field: `prefix-name`, with every character other than letters, digits, `_` and `-` made `-`. */
export const fieldId = (prefix: string, name: string) => `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** `aria-describedby` of a control: its error, then its hint, or undefined when it has neither. */
export function describedBy(id: string, error: string | undefined, hint: ReactNode): string | undefined {
  return [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
}

/** The hint (muted) and the error paragraphs under a control, with the ids `describedBy` names. */
export function FieldMessages({ id, error, hint }: { id: string; error?: string; hint?: ReactNode }) {
  return (
    <>
      {hint ? (
        <p className="muted small field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </>
  );
}

/** What every field takes. */
export interface FieldProps {
  /** The form's id prefix (`"system"`, `"drill"`, `"actions"`): ids are `fieldId(prefix, name)`. */
  prefix: string;
  /** The form field's name, as posted. */
  name: string;
  /** The visible label (`<label for>`). */
  label: ReactNode;
  /** Help under the control. */
  hint?: ReactNode;
  /** The form's errors; the one under `name` is shown (none: a filter form). */
  errors?: FieldErrors;
  /** An id other than `fieldId(prefix, name)`, for a form whose ids predate the pattern. */
  id?: string;
}

/**
 * `<div class="field">` with the label, `children` (the control, already given the id and the aria
 * attributes) and the hint and error. For a control the variants below do not cover.
 */
export function Field({ id, label, hint, error, children }: { id: string; label: ReactNode; hint?: ReactNode; error?: string; children: ReactNode }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children}
      <FieldMessages id={id} error={error} hint={hint} />
    </div>
  );
}

/** id, error and the control's aria attributes for a field; `errorOf` picks the error (default `errors[name]`). */
function control({ prefix, name, hint, errors = {}, id: given }: FieldProps, errorOf?: (errors: FieldErrors) => string | undefined) {
  const id = given ?? fieldId(prefix, name);
  const error = errorOf ? errorOf(errors) : errors[name];
  return { id, error, aria: { id, name, "aria-invalid": error ? (true as const) : undefined, "aria-describedby": describedBy(id, error, hint) } };
}

type InputExtras = Pick<
  InputHTMLAttributes<HTMLInputElement>,
  "type" | "placeholder" | "list" | "readOnly" | "required" | "inputMode" | "min" | "minLength" | "maxLength" | "autoComplete" | "autoFocus"
>;

/**
 * A labelled `<input>` (text by default; `type` "date", "datetime-local", "email", "password", …)
 * with hint and error. `value` is what it starts with; leave it out where the value must not come
 * back (a password). `suggestions` offers values as one types (a `<datalist>` with the id
 * `<id>-suggestions`, each option its value and label); anything else may still be typed.
 */
export function TextField({
  value,
  type = "text",
  suggestions,
  placeholder,
  list,
  readOnly,
  required,
  inputMode,
  min,
  minLength,
  maxLength,
  autoComplete,
  autoFocus,
  ...field
}: FieldProps & InputExtras & { value?: string; suggestions?: Choice[] }) {
  const { id, error, aria } = control(field);
  const listId = list ?? (suggestions ? `${id}-suggestions` : undefined);
  const extras = { placeholder, list: listId, readOnly, required, inputMode, min, minLength, maxLength, autoComplete, autoFocus };
  return (
    <Field id={id} label={field.label} hint={field.hint} error={error}>
      <input {...aria} type={type} defaultValue={value} {...extras} />
      {suggestions ? (
        <datalist id={listId}>
          {suggestions.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </datalist>
      ) : null}
    </Field>
  );
}

/**
 * A labelled `<textarea>` with hint and error. A list typed one item a line is validated item by
 * item, so an error of `name[2]` is shown here too when `name` itself has none.
 */
export function TextAreaField({ value, rows = 3, maxLength, ...field }: FieldProps & { value: string; rows?: number; maxLength?: number }) {
  const { id, error, aria } = control(field, (errors) => errors[field.name] ?? Object.entries(errors).find(([k]) => k.startsWith(`${field.name}[`))?.[1]);
  return (
    <Field id={id} label={field.label} hint={field.hint} error={error}>
      <textarea {...aria} rows={rows} maxLength={maxLength} defaultValue={value} />
    </Field>
  );
}

/** A choice of a select: the posted value and its label. */
export interface Choice {
  value: string;
  label: string;
}

/** Choices from a list of values (an enum's), labelled by `label` (default: the value itself). */
export function choicesOf<T extends string>(values: readonly T[], label: (value: T) => string = (value) => value): Choice[] {
  return values.map((value) => ({ value, label: label(value) }));
}

/** Choices from catalog rows (systems, teams): the slug posted, the name shown. */
export function slugChoices(rows: ReadonlyArray<{ slug: string; name: string }>): Choice[] {
  return rows.map((row) => ({ value: row.slug, label: row.name }));
}

/**
 * A labelled `<select>` with hint and error. `multiple` (with `value` an array and a `size`) makes
 * a list box where Ctrl/⌘-click picks several; say so in the hint.
 */
export function SelectField({
  value,
  choices,
  multiple,
  size,
  filterLabel,
  ...field
}: FieldProps & { choices: Choice[] } & (
    | { value: string; multiple?: false; size?: undefined; filterLabel?: undefined }
    | { value: string[]; multiple: true; size: number; filterLabel?: string }
  )) {
  const { id, error, aria } = control(field);
  if (multiple && filterLabel) {
    return (
      <Field id={id} label={field.label} hint={field.hint} error={error}>
        <FilterableListBox aria={aria} id={id} value={value} choices={choices} size={size} filterLabel={filterLabel} />
      </Field>
    );
  }
  return (
    <Field id={id} label={field.label} hint={field.hint} error={error}>
      <select {...aria} multiple={multiple} size={size} defaultValue={value}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </Field>
  );
}

/**
 * A multiple select for long lists (hundreds of runbooks): once the page is hydrated, a search box
 * above it hides the options whose label does not contain what is typed (case-insensitive; chosen
 * ones stay visible), and a line under it names what is chosen. Without JavaScript it is the plain
 * list box. The search box is labelled `filterLabel` and is not posted (no name).
 */
function FilterableListBox({
  aria,
  id,
  value,
  choices,
  size,
  filterLabel,
}: {
  aria: ReturnType<typeof control>["aria"];
  id: string;
  value: string[];
  choices: Choice[];
  size: number;
  filterLabel: string;
}) {
  const [hydrated, setHydrated] = useState(false);
  const [query, setQuery] = useState("");
  const [chosen, setChosen] = useState<string[]>(value);
  useEffect(() => setHydrated(true), []);
  const needle = query.trim().toLowerCase();
  const shown = (c: Choice) => !needle || chosen.includes(c.value) || c.label.toLowerCase().includes(needle) || c.value.includes(needle);
  const visible = choices.filter(shown).length;
  return (
    <>
      {hydrated ? (
        <input
          type="search"
          className="list-filter"
          id={`${id}-filter`}
          aria-label={filterLabel}
          aria-controls={id}
          placeholder={`${filterLabel} (${choices.length})`}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      ) : null}
      <select
        {...aria}
        multiple
        size={size}
        defaultValue={value}
        onChange={(event) => setChosen(Array.from(event.target.selectedOptions, (o) => o.value))}
      >
        {choices.map((c) => (
          <option key={c.value} value={c.value} hidden={!shown(c)}>
            {c.label}
          </option>
        ))}
      </select>
      {hydrated ? (
        <p className="muted small" aria-live="polite">
          {needle ? `${visible} of ${choices.length} shown. ` : ""}
          {chosen.length === 0 ? "None chosen." : `Chosen (${chosen.length}): ${chosen.map((v) => choices.find((c) => c.value === v)?.label ?? v).join("; ")}`}
        </p>
      ) : null}
    </>
  );
}

/**
 * One cell of a repeatable row (a checklist item, a corrective action, an escalation level): a
 * `<td>` with an input, or a select when `choices` is given, labelled for screen readers by
 * `aria-label` (the column header labels it for sighted readers), and its error under it.
 */
export function CellField({
  prefix,
  name,
  label,
  value,
  errors = {},
  type = "text",
  choices,
  list,
  placeholder,
}: Omit<FieldProps, "hint" | "id" | "label"> & { label: string; value: string; type?: string; choices?: Choice[]; list?: string; placeholder?: string }) {
  const id = fieldId(prefix, name);
  const error = errors[name];
  const common = { id, name, "aria-label": label, "aria-invalid": error ? (true as const) : undefined, "aria-describedby": error ? `${id}-error` : undefined };
  return (
    <td>
      {choices ? (
        <select {...common} defaultValue={value}>
          {choices.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      ) : (
        <input {...common} type={type} defaultValue={value} list={list} placeholder={placeholder} />
      )}
      <FieldMessages id={id} error={error} />
    </td>
  );
}
