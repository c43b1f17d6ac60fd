import { Form, Link, NavLink } from "@remix-run/react";
import {
  BASE_FIELD,
  SEVERITIES,
  SLA_FIELDS,
  type SlaFormValues,
  type SystemFormValues,
  type TeamFormValues,
} from "~/catalog/admin-form";
import { ErrorSummary, fieldNameInWords } from "./ui/error-summary";
import { CellField, choicesOf, SelectField, slugChoices, TextAreaField, TextField, type Choice, type FieldErrors } from "./ui/field";
import { DefaultSave, SaveButton } from "./ui/save-buttons";

/**
 * Forms of the admin catalog pages (/admin/teams, /admin/slas, /admin/systems/…). Inputs are
 * named by the catalog file entry's paths (see app/catalog/admin-form.ts), so the server's field
 * errors land on the right input. They work without JavaScript: every button submits the form.
 */

export type { FieldErrors };

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

/** "critical_windows.0.start" -> "Critical window 1: start". */
function fieldLabel(key: string): string {
  const parts = key.split(".");
  if ((parts[0] === "critical_windows" || parts[0] === "escalation") && parts.length >= 2) {
    const group = parts[0] === "critical_windows" ? "Critical window" : "Escalation level";
    return `${group} ${Number(parts[1]) + 1}${parts[2] ? `: ${fieldNameInWords(parts[2])}` : ""}`;
  }
  if (parts[0] === "sla") return `SLA override: ${fieldNameInWords(parts.slice(1).join("."))}`;
  return fieldNameInWords(key);
}

/** The choices of a row cell's select: a blank "—" first, then the values as they are. */
const cellChoices = (values: readonly string[]): Choice[] => [{ value: "", label: "—" }, ...choicesOf(values)];

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
      <ErrorSummary errors={errors} prefix={p} labelFor={fieldLabel} />
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
          choices={[{ value: "", label: "none" }, ...slugChoices(choices.teams)]}
        />
      </div>
      <TextAreaField
        prefix={p}
        name="description"
        label="Description"
        value={values.description}
        errors={errors}
        rows={6}
        hint="What it is, why it matters, how it works. Markdown."
      />

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

      <SelectField
        prefix={p}
        name="depends_on"
        label="Depends on"
        value={values.depends_on}
        errors={errors}
        multiple
        size={Math.min(10, Math.max(4, choices.systems.length))}
        choices={choices.systems.filter((s) => s.slug !== values.slug || mode === "new").map((s) => ({ value: s.slug, label: `${s.name} (tier ${s.tier})` }))}
        hint="Systems whose outage can take this one down. Ctrl/⌘-click to choose several."
      />

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
                  <CellField prefix={p} name={`critical_windows.${i}.name`} label={`Window ${i + 1} name`} value={w.name} errors={errors} />
                  <CellField
                    prefix={p}
                    name={`critical_windows.${i}.days`}
                    label={`Window ${i + 1} days`}
                    value={w.days}
                    errors={errors}
                    choices={cellChoices(choices.windowDays)}
                  />
                  <CellField prefix={p} name={`critical_windows.${i}.start`} label={`Window ${i + 1} start`} value={w.start} errors={errors} placeholder="18:00" />
                  <CellField prefix={p} name={`critical_windows.${i}.end`} label={`Window ${i + 1} end`} value={w.end} errors={errors} placeholder="20:00" />
                  <CellField
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
                  <CellField
                    prefix={p}
                    name={`escalation.${i}.level`}
                    label={`Row ${i + 1} level`}
                    value={e.level}
                    errors={errors}
                    choices={cellChoices(choices.escalationLevels)}
                  />
                  <CellField prefix={p} name={`escalation.${i}.team`} label={`Row ${i + 1} team or vendor`} value={e.team} errors={errors} list="team-slugs" />
                  <CellField prefix={p} name={`escalation.${i}.region`} label={`Row ${i + 1} region`} value={e.region} errors={errors} />
                  <CellField prefix={p} name={`escalation.${i}.timezone`} label={`Row ${i + 1} time zone`} value={e.timezone} errors={errors} list="time-zones" />
                  <CellField prefix={p} name={`escalation.${i}.hours`} label={`Row ${i + 1} hours`} value={e.hours} errors={errors} placeholder="24x7" />
                  <CellField prefix={p} name={`escalation.${i}.contact`} label={`Row ${i + 1} contact`} value={e.contact} errors={errors} />
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
      <ErrorSummary errors={errors} prefix={p} labelFor={fieldLabel} />
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
      <TextAreaField prefix={p} name="description" label="Description" value={values.description} errors={errors} />
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
      <ErrorSummary errors={errors} prefix={p} labelFor={fieldLabel} />
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
