import { Form, Link, NavLink, useNavigation } from "@remix-run/react";
import { useEffect, useRef, type ReactNode } from "react";
import {
  BASE_FIELD,
  SEVERITIES,
  SLA_FIELDS,
  type SlaFormValues,
  type SystemFormValues,
  type TeamFormValues,
} from "~/catalog/admin-form";

/**
 * Forms of the admin catalog pages (/admin/teams, /admin/slas, /admin/systems/…). Inputs are
 * named by the catalog file entry's paths (see app/catalog/admin-form.ts), so the server's field
 * errors land on the right input. They work without JavaScript: every button submits the form.
 */

export type FieldErrors = Record<string, string>;

/** Links between the admin pages. */
export function AdminNav() {
  return (
    <nav className="admin-nav small" aria-label="Admin">
      <NavLink to="/admin/systems">Systems</NavLink>
      <NavLink to="/admin/teams">Teams</NavLink>
      <NavLink to="/admin/slas">SLA defaults</NavLink>
      <NavLink to="/admin/audit">Audit log</NavLink>
    </nav>
  );
}

const idFor = (prefix: string, name: string) => `${prefix}-${name.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** The list of errors at the top of a refused form, each linking to its field; takes focus. */
export function ErrorSummary({ errors, prefix, labels }: { errors: FieldErrors; prefix: string; labels?: Record<string, string> }) {
  const ref = useRef<HTMLDivElement>(null);
  const keys = Object.keys(errors);
  useEffect(() => {
    if (keys.length > 0) ref.current?.focus();
  }, [errors]); // eslint-disable-line react-hooks/exhaustive-deps
  if (keys.length === 0) return null;
  return (
    <div className="form-error" role="alert" tabIndex={-1} ref={ref}>
      <p style={{ margin: 0 }}>
        <strong>Nothing was saved.</strong> {keys.length === 1 ? "One field needs" : `${keys.length} fields need`} attention:
      </p>
      <ul>
        {keys.map((key) => (
          <li key={key}>
            <a href={`#${idFor(prefix, key)}`}>{labels?.[key] ?? fieldLabel(key)}</a>: {errors[key]}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** "critical_windows.0.start" -> "Critical window 1: start". */
function fieldLabel(key: string): string {
  const parts = key.split(".");
  const words = (s: string) => s.replace(/_/g, " ");
  if ((parts[0] === "critical_windows" || parts[0] === "escalation") && parts.length >= 2) {
    const group = parts[0] === "critical_windows" ? "Critical window" : "Escalation level";
    return `${group} ${Number(parts[1]) + 1}${parts[2] ? `: ${words(parts[2])}` : ""}`;
  }
  if (parts[0] === "sla") return `SLA override: ${parts.slice(1).map(words).join(" ")}`;
  return parts.map(words).join(" ");
}

interface FieldProps {
  prefix: string;
  name: string;
  label: ReactNode;
  value: string;
  errors: FieldErrors;
  hint?: ReactNode;
  type?: string;
  placeholder?: string;
  list?: string;
  readOnly?: boolean;
  required?: boolean;
  inputMode?: "numeric" | "decimal";
}

/** A labelled input with its error (aria-invalid, aria-describedby). */
export function TextField({ prefix, name, label, value, errors, hint, type = "text", ...rest }: FieldProps) {
  const id = idFor(prefix, name);
  const error = errors[name];
  const described = [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} type={type} defaultValue={value} aria-invalid={error ? true : undefined} aria-describedby={described} {...rest} />
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
    </div>
  );
}

/** A labelled select with its error. */
export function SelectField({
  prefix,
  name,
  label,
  value,
  errors,
  choices,
  hint,
}: Omit<FieldProps, "type"> & { choices: Array<{ value: string; label: string }> }) {
  const id = idFor(prefix, name);
  const error = errors[name];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value} aria-invalid={error ? true : undefined} aria-describedby={error ? `${id}-error` : hint ? `${id}-hint` : undefined}>
        {choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
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
    </div>
  );
}

/** A cell input of a repeatable row: labelled for screen readers, error below it. */
function CellInput({ prefix, name, label, value, errors, type = "text", list, choices, placeholder }: FieldProps & { choices?: string[] }) {
  const id = idFor(prefix, name);
  const error = errors[name];
  const common = { id, name, "aria-label": String(label), "aria-invalid": error ? true : undefined, "aria-describedby": error ? `${id}-error` : undefined };
  return (
    <td>
      {choices ? (
        <select {...common} defaultValue={value}>
          <option value="">—</option>
          {choices.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
      ) : (
        <input {...common} type={type} defaultValue={value} list={list} placeholder={placeholder} />
      )}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </td>
  );
}

/** Submit buttons of the row controls are not the form's default: Enter in a field saves. */
function DefaultSave() {
  return (
    <button type="submit" name="intent" value="save" tabIndex={-1} aria-hidden="true" className="visually-hidden">
      Save
    </button>
  );
}

function SaveButton({ label }: { label: string }) {
  const busy = useNavigation().state === "submitting";
  return (
    <button type="submit" name="intent" value="save" disabled={busy}>
      {busy ? "Saving…" : label}
    </button>
  );
}

// ------------------------------------------------------------------------------------------ system

export interface SystemFormChoices {
  teams: Array<{ slug: string; name: string }>;
  systems: Array<{ slug: string; name: string; tier: number }>;
  /** Default SLA figures per tier as form text, for the overrides' placeholders. */
  tierDefaults: Record<string, SlaFormValues | null>;
  windowDays: readonly string[];
  escalationLevels: readonly string[];
  timeZones: string[];
}

const SLA_LABELS: Record<string, string> = {
  availability: "Availability (fraction)",
  rto_minutes: "RTO (minutes)",
  rpo_minutes: "RPO (minutes)",
  drill_interval_days: "Drill every (days)",
  inspection_interval_days: "Inspect every (days)",
  plan_review_interval_days: "Plan review every (days)",
};

/** Create (`mode="new"`) or edit a system: facts, SLA overrides, dependencies, critical windows, escalation matrix. */
export function SystemForm({
  mode,
  values,
  errors,
  choices,
  base = "",
}: {
  mode: "new" | "edit";
  values: SystemFormValues;
  errors: FieldErrors;
  choices: SystemFormChoices;
  /** The entry as the edit form was opened (JSON; see readEditBase in app/catalog/admin-form.ts). */
  base?: string;
}) {
  const p = "system";
  const defaults = choices.tierDefaults[values.tier] ?? null;
  return (
    <Form method="post" className="form admin-form" noValidate>
      <DefaultSave />
      {base ? <input type="hidden" name={BASE_FIELD} value={base} /> : null}
      <ErrorSummary errors={errors} prefix={p} />
      <div className="grid grid-2-even">
        {mode === "new" ? (
          <TextField
            prefix={p}
            name="slug"
            label="Slug"
            value={values.slug}
            errors={errors}
            hint="Lower-case letters, digits and '-', e.g. fx-pricing. Documents refer to it; it cannot change later."
            required
          />
        ) : (
          <div className="field">
            <span className="field-label">Slug</span>
            <code>{values.slug}</code>
          </div>
        )}
        <TextField prefix={p} name="name" label="Name" value={values.name} errors={errors} required />
        <SelectField
          prefix={p}
          name="tier"
          label="Tier"
          value={values.tier}
          errors={errors}
          choices={["1", "2", "3", "4"].map((t) => ({ value: t, label: `Tier ${t}${t === "1" ? " (most critical)" : ""}` }))}
        />
        <SelectField
          prefix={p}
          name="lifecycle"
          label="Lifecycle"
          value={values.lifecycle}
          errors={errors}
          choices={[
            { value: "active", label: "active" },
            { value: "retired", label: "retired (left out of every metric)" },
          ]}
        />
        <SelectField
          prefix={p}
          name="owner"
          label="Owner team"
          value={values.owner}
          errors={errors}
          choices={[{ value: "", label: "none" }, ...choices.teams.map((t) => ({ value: t.slug, label: t.name }))]}
        />
      </div>
      <div className="field">
        <label htmlFor={idFor(p, "description")}>Description</label>
        <textarea
          id={idFor(p, "description")}
          name="description"
          rows={6}
          defaultValue={values.description}
          aria-invalid={errors.description ? true : undefined}
        />
        <p className="muted small field-hint">What it is, why it matters, how it works. Markdown.</p>
        {errors.description ? <p className="field-error">{errors.description}</p> : null}
      </div>

      <fieldset>
        <legend>SLA overrides</legend>
        <p className="muted small">
          Leave a field blank to use the tier's default (shown greyed). "Drill every": <code>none</code> = no drill required. Response
          targets: fill all four or none.
        </p>
        <div className="grid grid-3">
          {SLA_FIELDS.map((f) => (
            <TextField
              key={f}
              prefix={p}
              name={`sla.${f}`}
              label={SLA_LABELS[f]}
              value={values.sla[f]}
              errors={errors}
              placeholder={defaults ? `${defaults[f] || "none"}` : undefined}
              inputMode={f === "availability" ? "decimal" : undefined}
            />
          ))}
          {SEVERITIES.map((s) => (
            <TextField
              key={s}
              prefix={p}
              name={`sla.response_minutes.${s}`}
              label={`${s} response (minutes)`}
              value={values.sla[`response_minutes.${s}`]}
              errors={errors}
              placeholder={defaults ? defaults[`response_minutes.${s}`] : undefined}
              inputMode="numeric"
            />
          ))}
        </div>
      </fieldset>

      <div className="field">
        <label htmlFor={idFor(p, "depends_on")}>Depends on</label>
        <select
          id={idFor(p, "depends_on")}
          name="depends_on"
          multiple
          size={Math.min(10, Math.max(4, choices.systems.length))}
          defaultValue={values.depends_on}
          aria-invalid={errors.depends_on ? true : undefined}
          aria-describedby={`${idFor(p, "depends_on")}-hint`}
        >
          {choices.systems
            .filter((s) => s.slug !== values.slug || mode === "new")
            .map((s) => (
              <option key={s.slug} value={s.slug}>
                {s.name} (tier {s.tier})
              </option>
            ))}
        </select>
        <p className="muted small field-hint" id={`${idFor(p, "depends_on")}-hint`}>
          Systems whose outage can take this one down. Ctrl/⌘-click to choose several.
        </p>
        {errors.depends_on ? <p className="field-error">{errors.depends_on}</p> : null}
      </div>

      <fieldset>
        <legend>Critical windows</legend>
        <p className="muted small">Recurring periods in which an outage costs most; times are local to the window's time zone.</p>
        {values.critical_windows.length > 0 ? (
          <table className="data admin-rows">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Days</th>
                <th scope="col">Start</th>
                <th scope="col">End</th>
                <th scope="col">Time zone</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {values.critical_windows.map((w, i) => (
                <tr key={i}>
                  <CellInput prefix={p} name={`critical_windows.${i}.name`} label={`Window ${i + 1} name`} value={w.name} errors={errors} />
                  <CellInput
                    prefix={p}
                    name={`critical_windows.${i}.days`}
                    label={`Window ${i + 1} days`}
                    value={w.days}
                    errors={errors}
                    choices={choices.windowDays as string[]}
                  />
                  <CellInput prefix={p} name={`critical_windows.${i}.start`} label={`Window ${i + 1} start`} value={w.start} errors={errors} placeholder="18:00" />
                  <CellInput prefix={p} name={`critical_windows.${i}.end`} label={`Window ${i + 1} end`} value={w.end} errors={errors} placeholder="20:00" />
                  <CellInput
                    prefix={p}
                    name={`critical_windows.${i}.timezone`}
                    label={`Window ${i + 1} time zone`}
                    value={w.timezone}
                    errors={errors}
                    list="time-zones"
                    placeholder="Asia/Shanghai"
                  />
                  <td>
                    <button type="submit" name="intent" value={`remove:critical_windows:${i}`} className="secondary small-button">
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted small">None.</p>
        )}
        <button type="submit" name="intent" value="add:critical_windows" className="secondary">
          Add a window
        </button>
      </fieldset>

      <fieldset>
        <legend>Escalation matrix</legend>
        <p className="muted small">Ordered levels. Team: a team slug, or the vendor's name for level vendor.</p>
        {values.escalation.length > 0 ? (
          <table className="data admin-rows">
            <thead>
              <tr>
                <th scope="col">Level</th>
                <th scope="col">Team / vendor</th>
                <th scope="col">Region</th>
                <th scope="col">Time zone</th>
                <th scope="col">Hours</th>
                <th scope="col">Contact</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {values.escalation.map((e, i) => (
                <tr key={i}>
                  <CellInput
                    prefix={p}
                    name={`escalation.${i}.level`}
                    label={`Row ${i + 1} level`}
                    value={e.level}
                    errors={errors}
                    choices={choices.escalationLevels as string[]}
                  />
                  <CellInput prefix={p} name={`escalation.${i}.team`} label={`Row ${i + 1} team or vendor`} value={e.team} errors={errors} list="team-slugs" />
                  <CellInput prefix={p} name={`escalation.${i}.region`} label={`Row ${i + 1} region`} value={e.region} errors={errors} />
                  <CellInput prefix={p} name={`escalation.${i}.timezone`} label={`Row ${i + 1} time zone`} value={e.timezone} errors={errors} list="time-zones" />
                  <CellInput prefix={p} name={`escalation.${i}.hours`} label={`Row ${i + 1} hours`} value={e.hours} errors={errors} placeholder="24x7" />
                  <CellInput prefix={p} name={`escalation.${i}.contact`} label={`Row ${i + 1} contact`} value={e.contact} errors={errors} />
                  <td className="row-buttons">
                    {i > 0 ? (
                      <button type="submit" name="intent" value={`up:escalation:${i}`} className="secondary small-button" aria-label={`Move row ${i + 1} up`}>
                        ↑
                      </button>
                    ) : null}
                    <button type="submit" name="intent" value={`remove:escalation:${i}`} className="secondary small-button">
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : (
          <p className="muted small">No levels.</p>
        )}
        <button type="submit" name="intent" value="add:escalation" className="secondary">
          Add a level
        </button>
      </fieldset>

      <datalist id="time-zones">
        {choices.timeZones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
      <datalist id="team-slugs">
        {choices.teams.map((t) => (
          <option key={t.slug} value={t.slug}>
            {t.name}
          </option>
        ))}
      </datalist>
      <p>
        <SaveButton label={mode === "new" ? "Create system" : "Save changes"} />{" "}
        <Link to={mode === "new" ? "/admin/systems" : `/systems/${values.slug}`} className="button secondary">
          Cancel
        </Link>
      </p>
    </Form>
  );
}

// -------------------------------------------------------------------------------------------- team

/** The `form` value of the new-team form: not a possible slug, so a team named "new" stays editable. */
export const NEW_TEAM_FORM = "(new)";

/** One team's form (`slug` null: a new team; `base`: the team as the form was opened, JSON). */
export function TeamForm({ slug, values, errors, base = "" }: { slug: string | null; values: TeamFormValues; errors: FieldErrors; base?: string }) {
  const p = slug === null ? "new-team" : `team-${slug}`;
  return (
    <Form method="post" className="form admin-form" noValidate>
      <DefaultSave />
      {base ? <input type="hidden" name={BASE_FIELD} value={base} /> : null}
      <input type="hidden" name="form" value={slug ?? NEW_TEAM_FORM} />
      <ErrorSummary errors={errors} prefix={p} />
      <div className="grid grid-2-even">
        {slug === null ? (
          <TextField prefix={p} name="slug" label="Slug" value={values.slug} errors={errors} hint="e.g. fx-operations; cannot change later" required />
        ) : (
          <input type="hidden" name="slug" value={slug} />
        )}
        <TextField prefix={p} name="name" label="Name" value={values.name} errors={errors} required />
        <TextField prefix={p} name="region" label="Region" value={values.region} errors={errors} placeholder="Shanghai" />
        <TextField prefix={p} name="timezone" label="Time zone" value={values.timezone} errors={errors} placeholder="Asia/Shanghai" list="time-zones" />
        <TextField prefix={p} name="channel" label="Chat channel" value={values.channel} errors={errors} placeholder="#team-channel" />
        <TextField prefix={p} name="email" label="E-mail" value={values.email} errors={errors} type="email" />
      </div>
      <div className="field">
        <label htmlFor={idFor(p, "description")}>Description</label>
        <textarea id={idFor(p, "description")} name="description" rows={3} defaultValue={values.description} />
        {errors.description ? <p className="field-error">{errors.description}</p> : null}
      </div>
      <p>
        <SaveButton label={slug === null ? "Create team" : "Save team"} />
      </p>
    </Form>
  );
}

// --------------------------------------------------------------------------------------------- SLA

/** One tier's SLA defaults (`base`: the tier's defaults as the form was opened, JSON). */
export function SlaForm({ tier, values, errors, base = "" }: { tier: number; values: SlaFormValues; errors: FieldErrors; base?: string }) {
  const p = `sla-${tier}`;
  return (
    <Form method="post" className="form admin-form" noValidate>
      <DefaultSave />
      {base ? <input type="hidden" name={BASE_FIELD} value={base} /> : null}
      <input type="hidden" name="tier" value={tier} />
      <ErrorSummary errors={errors} prefix={p} />
      <div className="grid grid-3">
        {SLA_FIELDS.map((f) => (
          <TextField
            key={f}
            prefix={p}
            name={f}
            label={SLA_LABELS[f]}
            value={values[f]}
            errors={errors}
            hint={f === "drill_interval_days" ? "blank or none: no drill required" : undefined}
            inputMode={f === "availability" ? "decimal" : "numeric"}
          />
        ))}
        {SEVERITIES.map((s) => (
          <TextField
            key={s}
            prefix={p}
            name={`response_minutes.${s}`}
            label={`${s} response (minutes)`}
            value={values[`response_minutes.${s}`]}
            errors={errors}
            inputMode="numeric"
          />
        ))}
      </div>
      <p>
        <SaveButton label={`Save tier ${tier}`} />
      </p>
    </Form>
  );
}

/** The IANA time zones this runtime knows, for suggestions. */
export function TimeZoneList({ zones }: { zones: string[] }) {
  return (
    <datalist id="time-zones">
      {zones.map((z) => (
        <option key={z} value={z} />
      ))}
    </datalist>
  );
}
