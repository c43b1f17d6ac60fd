import { Link, useRouteLoaderData } from "@remix-run/react";
import { DEFAULT_TIME_ZONE, formatInZone } from "~/lib/time";
import type { DocumentKind, DocumentStatus } from "../../db/schema/documents";

export const KIND_LABELS: Record<DocumentKind, string> = {
  runbook: "Runbook",
  contingency_plan: "Contingency plan",
  postmortem: "Postmortem",
  inspection_report: "Inspection report",
  drill_report: "Drill report",
  article: "Article",
};

export function KindBadge({ kind }: { kind: DocumentKind }) {
  return <span className={`badge badge-${kind}`}>{KIND_LABELS[kind] ?? kind}</span>;
}

export function StatusBadge({ status }: { status: DocumentStatus }) {
  if (status === "published") return null;
  return <span className={`badge badge-${status}`}>{status === "draft" ? "Draft" : "Archived"}</span>;
}

export function TierBadge({ tier }: { tier: number }) {
  return (
    <span className={`badge badge-tier-${tier}`} title={`Tier ${tier} (1 is most critical)`}>
      Tier {tier}
    </span>
  );
}

/** A UTC timestamp as "2026-11-22 03:53 UTC" in a <time> element. */
export function Timestamp({ value }: { value: Date | string }) {
  const date = typeof value === "string" ? new Date(value) : value;
  const zone = useTimeZone();
  return (
    <time dateTime={date.toISOString()} title={`${date.toISOString().slice(0, 16).replace("T", " ")} UTC`}>
      {formatInZone(date, zone)}
    </time>
  );
}

/** The viewer's IANA time zone, from the root loader (UTC when unknown). */
export function useTimeZone(): string {
  const root = useRouteLoaderData<{ timeZone?: string }>("root");
  return root?.timeZone ?? DEFAULT_TIME_ZONE;
}

/** A link to a system's page, marked when the system is retired. */
export function SystemLink({ system }: { system: { slug: string; name: string; lifecycle: string } }) {
  return (
    <>
      <Link to={`/systems/${system.slug}`}>{system.name}</Link>
      {system.lifecycle === "retired" ? <span className="badge badge-retired"> retired</span> : null}
    </>
  );
}
