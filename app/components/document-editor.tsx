import { Form, Link, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import type { DocumentKind } from "../../db/schema/documents";
import { DOCUMENT_KINDS, DOCUMENT_STATUSES } from "../../db/schema/enums";
import { KIND_LABELS, Timestamp } from "./badges";
import { DiffView, MetadataChanges } from "./diff-view";
import { EDITOR_FIELD_ORDER, type EditorState } from "~/docs/editor";
import { documentHref } from "~/docs/slug";
import { DOCUMENT_TEMPLATES } from "~/docs/templates";

/** Select choices for the editor (see editorOptions in app/docs/editor.server.ts). */
export interface EditorChoices {
  systems: Array<{ slug: string; name: string; tier: number; lifecycle: "active" | "retired" }>;
  teams: Array<{ slug: string; name: string }>;
}

const FIELD_LABELS: Record<string, string> = {
  title: "Title",
  slug: "Address (slug)",
  kind: "Kind",
  status: "Status",
  markdown: "Text",
  systems: "Systems",
  tags: "Tags",
  alerts: "Alert names",
  owner: "Owner team",
  lastReviewed: "Last reviewed",
  message: "Change message",
  baseRevision: "Revision",
};

const STATUS_LABELS: Record<string, string> = { draft: "Draft", published: "Published", archived: "Archived" };
const PREVIEW_DELAY_MS = 300;

/**
 * The Markdown editor form for a new document (`mode="new"`) or a new revision of one. Works
 * without JavaScript: "Preview" posts the form and the server renders the preview; with
 * JavaScript the preview follows typing (debounced POST to /api/v1/preview). Errors are listed at
 * the top with links to their fields and shown under each field (aria-invalid), and the first one
 * gets focus. A conflict shows the other person's change and the current text beside yours.
 */
export function DocumentEditor({ mode, state, choices, slug }: { mode: "new" | "edit"; state: EditorState; choices: EditorChoices; slug?: string }) {
  const { values, fieldErrors, conflict } = state;
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const summaryRef = useRef<HTMLDivElement>(null);
  const conflictRef = useRef<HTMLElement>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const kindRef = useRef(values.kind);
  const [preview, setPreview] = useState(state.preview);
  const [previewStatus, setPreviewStatus] = useState<"idle" | "updating" | "failed">("idle");
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const inflight = useRef<AbortController>();

  const errorFields = EDITOR_FIELD_ORDER.filter((f) => fieldErrors[f]);
  const otherErrors = Object.keys(fieldErrors).filter((f) => !(EDITOR_FIELD_ORDER as readonly string[]).includes(f));
  const firstError = errorFields[0];

  // A new server state (after Preview, a refused save or a conflict) replaces the live preview.
  useEffect(() => setPreview(state.preview), [state.preview]);

  useEffect(() => {
    // Move focus to the first field with an error (server-side `autoFocus` covers the no-JS case);
    // on a conflict, to the conflict panel.
    if (conflict) {
      conflictRef.current?.focus();
      conflictRef.current?.scrollIntoView({ block: "start" });
    } else if (firstError) {
      const field = document.getElementById(`field-${firstError}`);
      field?.focus();
      field?.scrollIntoView({ block: "center" });
    }
  }, [state, conflict, firstError]);

  const schedulePreview = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(async () => {
      inflight.current?.abort();
      const controller = new AbortController();
      inflight.current = controller;
      setPreviewStatus("updating");
      try {
        const response = await fetch("/api/v1/preview", {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ markdown: textareaRef.current?.value ?? "", title: titleRef.current?.value ?? "" }),
          signal: controller.signal,
        });
        if (!response.ok) throw new Error(String(response.status));
        setPreview(await response.json());
        setPreviewStatus("idle");
      } catch (error) {
        if ((error as Error).name !== "AbortError") setPreviewStatus("failed");
      }
    }, PREVIEW_DELAY_MS);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const fieldProps = (name: string) => ({
    id: `field-${name}`,
    name,
    "aria-invalid": fieldErrors[name] ? true : undefined,
    "aria-describedby": fieldErrors[name] ? `error-${name}` : undefined,
    autoFocus: !conflict && name === firstError ? true : undefined,
  });

  return (
    <div className="editor-page">
      {errorFields.length + otherErrors.length > 0 ? (
        <div className="error-summary" role="alert" ref={summaryRef}>
          <h2>The document was not saved</h2>
          <ul>
            {errorFields.map((f) => (
              <li key={f}>
                <a href={`#field-${f}`}>
                  {FIELD_LABELS[f]}: {fieldErrors[f]}
                </a>
              </li>
            ))}
            {otherErrors.map((f) => (
              <li key={f}>
                {FIELD_LABELS[f] ?? f}: {fieldErrors[f]}
              </li>
            ))}
          </ul>
        </div>
      ) : null}

      {conflict ? (
        <section className="conflict" ref={conflictRef} tabIndex={-1} aria-labelledby="conflict-title">
          <h2 id="conflict-title">Someone saved this document while you were editing</h2>
          <p>
            {conflict.current.author} saved revision {conflict.current.number} at <Timestamp value={conflict.current.createdAt} />
            {conflict.current.message ? <> (“{conflict.current.message}”)</> : null}; you started from revision {conflict.base}.
            <strong> Nothing was saved, and nothing is lost:</strong> your text is still in the editor below, with the current
            text beside it. Bring their change into your text (or keep yours), then save again — your save now builds on
            revision {conflict.current.number}.
          </p>
          <h3>
            Their change (revision {conflict.base} → {conflict.current.number})
          </h3>
          <MetadataChanges changes={conflict.metadata} />
          <div className="diff-scroll">
            <DiffView lines={conflict.lines} label={`Changes from revision ${conflict.base} to ${conflict.current.number}`} />
          </div>
        </section>
      ) : null}

      <Form method="post" className="editor-form" noValidate>
        <input type="hidden" name="baseRevision" value={state.baseRevision ?? ""} readOnly key={state.baseRevision ?? "new"} />

        <div className="editor-meta">
          <Field name="title" label="Title" error={fieldErrors.title} wide>
            <input type="text" required maxLength={200} defaultValue={values.title} ref={titleRef} {...fieldProps("title")} onChange={schedulePreview} />
          </Field>
          {mode === "new" ? (
            <Field name="slug" label="Address (slug)" error={fieldErrors.slug} hint="Leave empty to make it from the title. Lower-case, '/' between segments.">
              <input type="text" defaultValue={values.slug} placeholder="e.g. core-ledger-replica-lag" spellCheck={false} {...fieldProps("slug")} />
            </Field>
          ) : null}
          <Field name="kind" label="Kind" error={fieldErrors.kind}>
            <select
              defaultValue={values.kind}
              {...fieldProps("kind")}
              onChange={(event) => {
                // A new document whose text is still the previous kind's template gets the new kind's.
                const textarea = textareaRef.current;
                const next = event.currentTarget.value as DocumentKind;
                if (mode === "new" && textarea && textarea.value === DOCUMENT_TEMPLATES[kindRef.current as DocumentKind]) {
                  textarea.value = DOCUMENT_TEMPLATES[next];
                  schedulePreview();
                }
                kindRef.current = next;
              }}
            >
              {DOCUMENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {KIND_LABELS[k]}
                </option>
              ))}
            </select>
          </Field>
          <Field name="status" label="Status" error={fieldErrors.status}>
            <select defaultValue={values.status} {...fieldProps("status")}>
              {DOCUMENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s]}
                </option>
              ))}
            </select>
          </Field>
        </div>

        <div className={`editor-panes${conflict ? " with-conflict" : ""}`}>
          <div className="editor-pane">
            <Field name="markdown" label={conflict ? "Your text" : "Text (Markdown)"} error={fieldErrors.markdown} wide>
              <textarea
                className="markdown-input"
                rows={28}
                spellCheck={false}
                defaultValue={values.markdown}
                ref={textareaRef}
                onChange={schedulePreview}
                {...fieldProps("markdown")}
              />
            </Field>
            <p className="small muted">
              Markdown: <code>## Heading</code>, <code>- [ ] step</code>, <code>[[other-document]]</code>, <code>&gt; [!WARNING]</code>.{" "}
              <button type="submit" name="intent" value="preview" className="secondary" formNoValidate>
                Preview
              </button>
            </p>
          </div>
          {conflict ? (
            <div className="editor-pane">
              <label htmlFor="current-text" className="field-label">
                Current text (revision {conflict.current.number}, by {conflict.current.author})
              </label>
              <textarea id="current-text" className="markdown-input" rows={28} readOnly value={conflict.current.markdown} />
            </div>
          ) : null}
          <section className={`editor-pane preview-pane${conflict ? " wide" : ""}`} aria-labelledby="preview-title" aria-busy={previewStatus === "updating"}>
            <h2 id="preview-title" className="field-label">
              Preview{" "}
              <span className="small muted" aria-live="polite">
                {previewStatus === "updating" ? "updating…" : previewStatus === "failed" ? "could not update; use the Preview button" : ""}
              </span>
            </h2>
            <div className="markdown preview" dangerouslySetInnerHTML={{ __html: preview.html }} />
          </section>
        </div>

        <div className="editor-meta">
          <Field name="systems" label="Systems" error={fieldErrors.systems} hint="Ctrl/⌘-click to pick several.">
            <select multiple size={8} defaultValue={values.systems} {...fieldProps("systems")}>
              {[1, 2, 3, 4].map((tier) => (
                <optgroup key={tier} label={`Tier ${tier}`}>
                  {choices.systems
                    .filter((s) => s.tier === tier)
                    .map((s) => (
                      <option key={s.slug} value={s.slug}>
                        {s.name}
                        {s.lifecycle === "retired" ? " (retired)" : ""}
                      </option>
                    ))}
                </optgroup>
              ))}
            </select>
          </Field>
          <div className="editor-meta-column">
            <Field name="tags" label="Tags" error={fieldErrors.tags} hint="Comma separated.">
              <input type="text" defaultValue={values.tags} {...fieldProps("tags")} />
            </Field>
            <Field name="alerts" label="Alert names" error={fieldErrors.alerts} hint="Comma separated, e.g. KubePodCrashLooping, LedgerReplicaLagHigh.">
              <input type="text" defaultValue={values.alerts} spellCheck={false} {...fieldProps("alerts")} />
            </Field>
          </div>
          <div className="editor-meta-column">
            <Field name="owner" label="Owner team" error={fieldErrors.owner}>
              <select defaultValue={values.owner} {...fieldProps("owner")}>
                <option value="">No owner</option>
                {choices.teams.map((t) => (
                  <option key={t.slug} value={t.slug}>
                    {t.name}
                  </option>
                ))}
              </select>
            </Field>
            <Field name="lastReviewed" label="Last reviewed" error={fieldErrors.lastReviewed}>
              <input type="date" defaultValue={values.lastReviewed} {...fieldProps("lastReviewed")} />
            </Field>
          </div>
        </div>

        <Field name="message" label="Change message" error={fieldErrors.message} hint="What changed and why, for the history (optional)." wide>
          <input type="text" maxLength={500} defaultValue={values.message} {...fieldProps("message")} />
        </Field>

        <div className="editor-actions">
          <button type="submit" name="intent" value="save" disabled={busy}>
            {busy ? "Saving…" : mode === "new" ? "Create document" : conflict ? `Save on top of revision ${conflict.current.number}` : "Save"}
          </button>
          <Link to={mode === "edit" && slug ? documentHref(slug) : "/"} className="button secondary">
            Cancel
          </Link>
        </div>
      </Form>
    </div>
  );
}

function Field({ name, label, error, hint, wide, children }: { name: string; label: string; error?: string; hint?: string; wide?: boolean; children: React.ReactNode }) {
  return (
    <div className={`field${wide ? " field-wide" : ""}${error ? " field-invalid" : ""}`}>
      <label htmlFor={`field-${name}`} className="field-label">
        {label}
      </label>
      {children}
      {hint ? <div className="field-hint">{hint}</div> : null}
      {error ? (
        <div className="field-error" id={`error-${name}`}>
          {error}
        </div>
      ) : null}
    </div>
  );
}

/** Links to start a new document of each kind (each opens the editor with that kind's template). */
export function NewDocumentLinks({ current }: { current?: DocumentKind }) {
  return (
    <nav className="new-kinds small" aria-label="Start another kind of document">
      Start a:{" "}
      {DOCUMENT_KINDS.map((k, i) => (
        <span key={k}>
          {i > 0 ? " · " : null}
          {k === current ? <strong>{KIND_LABELS[k]}</strong> : <Link to={`/new?kind=${k}`}>{KIND_LABELS[k]}</Link>}
        </span>
      ))}
    </nav>
  );
}
