import type { DocumentKind } from "../../db/schema/documents";

/**
 * Starting Markdown for a new document of each kind, with the sections operations teams at banks
 * actually fill in (runbook: symptoms to escalation; contingency plan: scope to return to normal;
 * postmortem: summary to corrective actions, see shared/domain.md "postmortem"). Placeholders are
 * written as instructions in italics so an unfilled section is obvious on the page.
 */
export const DOCUMENT_TEMPLATES: Readonly<Record<DocumentKind, string>> = {
  runbook: `## Symptoms

_What the on-call engineer sees: the alert (name, threshold), dashboards, user reports._

## Impact

_Who and what is affected while this lasts: customers, downstream systems, critical time windows._

## Diagnosis

1. _First check, with the exact command or dashboard link._
2. _What each possible result means._

## Steps

- [ ] _First action, with the exact command._
- [ ] _Next action._
- [ ] _Tell the incident channel what was done._

## Verification

_How to tell the system is healthy again: the metric, query or test transaction to watch._

## Rollback

_How to undo the steps above if they make things worse._

## Escalation

_When to escalate (time limit, condition) and to whom: L2 team, L3, vendor, with the contact channel._
`,
  contingency_plan: `## Scope

_The systems, business services and locations this plan covers, and what it does not cover._

## Trigger

_The scenario (DB failover, data-centre loss, network partition, vendor outage) and the conditions
that activate this plan, and who may activate it._

## Roles

| role | team | person / rota | contact |
|---|---|---|---|
| Incident commander | | | |
| Technical lead | | | |
| Business liaison | | | |
| Communications | | | |

## Decision points

1. _Decision, who takes it, and the information needed (e.g. fail over after 15 minutes without recovery)._

## Recovery steps

- [ ] _Step, owner, expected duration._
- [ ] _Next step._

## RTO/RPO

| objective | target | how it is met |
|---|---|---|
| RTO (minutes) | | |
| RPO (minutes) | | |

## Communication plan

_Who is told what, when, and through which channel: internal, customers, regulator._

## Return to normal

_How and when to fail back, the checks before declaring the incident over, and the review to hold._
`,
  postmortem: `## Summary

_Two or three sentences: what happened, how long, the effect._

## Impact

_Customers, transactions, business services and critical time windows affected; financial and
regulatory consequences; duration._

## Timeline

All times UTC.

| time | event |
|---|---|
| | Incident started |
| | Detected |
| | Acknowledged |
| | Mitigated |
| | Resolved |

## Root cause

_The underlying cause, not the trigger._

## Contributing factors

- _Factor._

## What went well

- _Practice worth keeping._

## Corrective actions

| action | owner | due | status |
|---|---|---|---|
| | | | open |
`,
  article: `## Overview

_What this page explains and who it is for._

## Details

## See also

- _[[related-document]]_
`,
  inspection_report: `## Checklist

| item | result | notes |
|---|---|---|
| | ok | |

## Findings

- _Finding, severity, follow-up._

## Corrective actions

| action | owner | due | status |
|---|---|---|---|
| | | | open |
`,
  drill_report: `## Scenario

_The contingency plan and revision exercised, the drill type (tabletop, simulation, live failover)._

## Participants

- _Name, team, role._

## Outcome

_Passed, partial or failed; achieved recovery time (minutes) against the RTO._

## Findings

- _What did not go as the plan says._

## Corrective actions

| action | owner | due | status |
|---|---|---|---|
| | | | open |
`,
};

/** The template for a new document of `kind` (see DOCUMENT_TEMPLATES). */
export function documentTemplate(kind: DocumentKind): string {
  return DOCUMENT_TEMPLATES[kind];
}
