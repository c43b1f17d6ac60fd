/**
 * The incident timeline as the detail page shows it: the five timestamps and the free events in
 * time order, and the durations between the life-cycle steps (shared/domain.md, "Metrics" 6 names
 * them MTTD, MTTA, MTTR when averaged). Pure; minutes, from UTC instants.
 */
import { renderInlineMarkdown } from "../docs/markdown";
import { minutesBetween, TIMESTAMP_FIELDS, TIMESTAMP_LABELS, type TimestampField } from "./incident-input";

export interface TimelineEntry {
  at: Date;
  /** A life-cycle timestamp, or a free event. */
  kind: TimestampField | "event";
  label: string;
  text: string;
  /**
   * `text` rendered as inline Markdown, sanitised (app/docs/markdown.ts `renderInlineMarkdown`):
   * entries parsed from a postmortem's timeline table keep their `**Start.**`, code spans and
   * links. "" for life-cycle timestamps.
   */
  html: string;
  /** Provenance: the timestamp's source (timestamp_sources) or the event's `source`. */
  source: string;
}

export interface StepDuration {
  from: TimestampField;
  to: TimestampField;
  label: string;
  /** Whole minutes; null when either end is missing (shown as such, never as 0). */
  minutes: number | null;
}

type Timed = Partial<Record<TimestampField, Date | string | null>> & { timestampSources?: Partial<Record<TimestampField, string>> };

/**
 * Timestamps and events, oldest first; a timestamp sorts before an event at the same instant.
 * Each event's text also comes as sanitised inline HTML (`html`); call it on the server (loader),
 * so the Markdown pipeline stays out of the browser bundle.
 */
export function timelineEntries(incident: Timed, events: ReadonlyArray<{ at: Date | string; text: string; source: string }>): TimelineEntry[] {
  const entries: TimelineEntry[] = [];
  for (const field of TIMESTAMP_FIELDS) {
    const value = incident[field];
    if (!value) continue;
    const label = TIMESTAMP_LABELS[field].replace(/ at$/, "");
    entries.push({ at: new Date(value), kind: field, label: label[0]!.toUpperCase() + label.slice(1), text: "", html: "", source: incident.timestampSources?.[field] ?? "" });
  }
  for (const e of events) entries.push({ at: new Date(e.at), kind: "event", label: "", text: e.text, html: renderInlineMarkdown(e.text), source: e.source });
  return entries.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === "event" ? 1 : 0) - (b.kind === "event" ? 1 : 0));
}

/**
 * Minutes between consecutive steps: started -> detected (time to detect), detected -> acknowledged
 * (time to acknowledge), acknowledged -> mitigated, mitigated -> resolved, and started -> restored
 * (mitigated, else resolved: time to restore) and started -> resolved.
 */
export function stepDurations(incident: Timed): StepDuration[] {
  const step = (from: TimestampField, to: TimestampField, label: string): StepDuration => ({ from, to, label, minutes: minutesBetween(incident[from], incident[to]) });
  const restore: StepDuration = {
    from: "startedAt",
    to: incident.mitigatedAt ? "mitigatedAt" : "resolvedAt",
    label: "Time to restore (started → mitigated, else resolved)",
    minutes: minutesBetween(incident.startedAt, incident.mitigatedAt ?? incident.resolvedAt),
  };
  return [
    step("startedAt", "detectedAt", "Time to detect (started → detected)"),
    step("detectedAt", "acknowledgedAt", "Time to acknowledge (detected → acknowledged)"),
    step("acknowledgedAt", "mitigatedAt", "Acknowledged → mitigated"),
    step("mitigatedAt", "resolvedAt", "Mitigated → resolved"),
    restore,
    step("startedAt", "resolvedAt", "Total (started → resolved)"),
  ];
}
