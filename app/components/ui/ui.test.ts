/**
 * The shared form and list primitives rendered to HTML inside a static data router (as Remix renders
 * them on the server): pager links keep the list's filters, fields tie their error and hint to the
 * control, the error summary links to the fields' ids.
 */
import { createElement as h, type ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { Outlet } from "react-router-dom";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { ErrorSummary } from "./error-summary";
import { CellField, choicesOf, SelectField, TextAreaField, TextField } from "./field";
import { CheckboxGroup, FilterBar, ListCount } from "./filter-bar";
import { Pager, pageHref, PagerNav } from "./pager";

async function html(element: ReactElement, url = "/list"): Promise<string> {
  const routes = [{ id: "root", path: "/", Component: Outlet, children: [{ id: "page", path: "*", Component: () => element }] }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request(`http://drillbook.test${url}`));
  if (context instanceof Response) throw new Error("unexpected redirect");
  return renderToString(h(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

const hrefs = (markup: string) => [...markup.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&"));

describe("pageHref", () => {
  it("sets the page and keeps every other parameter in place", () => {
    expect(pageHref("severity=SEV1&page=2&status=open", 3)).toBe("?severity=SEV1&page=3&status=open");
    expect(pageHref("?owner=x&status=open&status=done", 2)).toBe("?owner=x&status=open&status=done&page=2");
    expect(pageHref("", 2, { param: "drills", hash: "continuity" })).toBe("?drills=2#continuity");
    expect(pageHref("a=1", 1, { path: "/incidents" })).toBe("/incidents?a=1&page=1");
  });
});

describe("Pager", () => {
  it("renders nothing for a single page", async () => {
    expect(await html(h(Pager, { page: 1, pages: 1, search: "a=1" }))).toBe("");
  });

  it("links the previous and next pages with the filters kept, and says where the reader is", async () => {
    const markup = await html(h(Pager, { page: 2, pages: 5, search: "owner=Wang Hao&status=open", path: "/actions" }));
    expect(markup).toContain('aria-label="Pages"');
    expect(hrefs(markup)).toEqual(["/actions?owner=Wang+Hao&status=open&page=1", "/actions?owner=Wang+Hao&status=open&page=3"]);
    expect(markup).toMatch(/← Previous[\s\S]*Page <!-- -->2<!-- --> of <!-- -->5[\s\S]*Next →/);
  });

  it("leaves out the link past either end; a panel pager shows it greyed instead, never as a link", async () => {
    const first = await html(h(Pager, { page: 1, pages: 3, order: "newest-first" }));
    expect(hrefs(first)).toEqual(["/list?page=2"]);
    expect(first).not.toContain("Newer");
    const last = await html(h(Pager, { page: 3, pages: 3, param: "inspections", hash: "inspections", variant: "panel", order: "newest-first" }));
    expect(hrefs(last)).toEqual(["/list?inspections=2#inspections"]);
    expect(last).toContain('<span class="muted">Older →</span>');
    expect(last).toContain('class="pager small"');
  });

  it("is named after its list when given a label (a page with several lists)", async () => {
    const markup = await html(h(Pager, { page: 1, pages: 2, search: "asOf=2026-11-22&sort=tier&dir=asc", label: "Matrix pages" }), "/coverage");
    expect(markup).toContain('<nav class="pager" aria-label="Matrix pages">');
    expect(hrefs(markup)).toEqual(["/coverage?asOf=2026-11-22&sort=tier&dir=asc&page=2"]);
  });

  it("PagerNav shows any status (result ranges of an offset list)", async () => {
    const markup = await html(h(PagerNav, { prevHref: null, nextHref: "/search?q=disk&offset=20", status: "1–20 of 110" }));
    expect(hrefs(markup)).toEqual(["/search?q=disk&offset=20"]);
    expect(markup).toContain("1–20 of 110");
  });
});

describe("fields", () => {
  it("a field with an error and a hint marks the control invalid and describes it by both", async () => {
    const markup = await html(h(TextField, { prefix: "system", name: "sla.rto_minutes", label: "RTO (minutes)", value: "abc", hint: "Blank: the tier's", errors: { "sla.rto_minutes": "must be a whole number" } }));
    expect(markup).toContain('<label for="system-sla-rto_minutes">RTO (minutes)</label>');
    expect(markup).toMatch(/<input id="system-sla-rto_minutes" name="sla.rto_minutes" aria-invalid="true" aria-describedby="system-sla-rto_minutes-error system-sla-rto_minutes-hint"/);
    expect(markup).toContain('<p class="field-error" id="system-sla-rto_minutes-error">must be a whole number</p>');
    expect(markup).toContain('value="abc"');
  });

  it("a field without error or hint has no aria-invalid and no aria-describedby", async () => {
    const markup = await html(h(SelectField, { prefix: "actions", name: "system", label: "System", value: "fx", choices: [{ value: "", label: "any" }, { value: "fx", label: "FX" }] }));
    expect(markup).not.toContain("aria-invalid");
    expect(markup).not.toContain("aria-describedby");
    expect(markup).toMatch(/<option value="fx" selected="">FX<\/option>/);
  });

  it("a multiple select keeps every chosen value; a textarea shows the first error of one of its lines", async () => {
    const select = await html(h(SelectField, { prefix: "incident", name: "systems", label: "Systems", value: ["a", "c"], multiple: true, size: 3, choices: choicesOf(["a", "b", "c"]) }));
    expect(select.match(/selected=""/g)).toHaveLength(2);
    const area = await html(h(TextAreaField, { prefix: "drill", name: "participants", label: "Participants", value: "x\ny", errors: { "participants[1]": "is too long" } }));
    expect(area).toContain('aria-describedby="drill-participants-error"');
    expect(area).toContain("is too long");
  });

  it("a filterable list box is the plain list box until hydrated: no search box, every option shown, chosen ones kept", async () => {
    const markup = await html(
      h(SelectField, { prefix: "incident", name: "runbooks", label: "Runbooks used", value: ["b"], multiple: true, size: 3, filterLabel: "Filter runbooks", choices: choicesOf(["a", "b", "c"]) }),
    );
    expect(markup).not.toContain('type="search"');
    expect(markup).not.toContain("hidden");
    expect(markup.match(/selected=""/g)).toHaveLength(1);
    expect(markup).toContain('name="runbooks"');
  });

  it("a text field with suggestions offers them in its own datalist; without, it has none", async () => {
    const markup = await html(h(TextField, { prefix: "coverage", name: "system", label: "Systems", value: "", autoComplete: "off", suggestions: [{ value: "core-ledger", label: "Core Ledger" }] }));
    expect(markup).toMatch(/<input id="coverage-system" name="system" type="text" list="coverage-system-suggestions"[^>]*\/><datalist/);
    expect(markup).toContain('<datalist id="coverage-system-suggestions"><option value="core-ledger">Core Ledger</option></datalist>');
    const plain = await html(h(TextField, { prefix: "rel", name: "from", label: "From", type: "date", value: "2026-10-01" }));
    expect(plain).toContain('<input id="rel-from" name="from" type="date" value="2026-10-01"/>');
    expect(plain).not.toContain("datalist");
  });

  it("a row cell is labelled by aria-label and points at its error", async () => {
    const markup = await html(h("table", null, h("tbody", null, h("tr", null, h(CellField, { prefix: "drill", name: "checklist[0].result", label: "Checklist item 1: result", value: "ok", choices: choicesOf(["ok", "warning"]), errors: { "checklist[0].result": "pick one" } })))));
    expect(markup).toContain('id="drill-checklist-0--result"');
    expect(markup).toContain('aria-label="Checklist item 1: result"');
    expect(markup).toContain('aria-describedby="drill-checklist-0--result-error"');
    expect(markup).toContain('<p class="field-error" id="drill-checklist-0--result-error">pick one</p>');
  });
});

describe("ErrorSummary", () => {
  it("counts the errors and links each to its field's id", async () => {
    const markup = await html(h(ErrorSummary, { prefix: "team-ops", errors: { name: "is required", "critical_windows.0.start": "is not HH:MM" } }));
    expect(markup).toContain('role="alert"');
    expect(markup).toContain("2 fields need");
    expect(hrefs(markup)).toEqual(["#team-ops-name", "#team-ops-critical_windows-0-start"]);
    expect(markup).toContain("critical windows 0 start</a>: <!-- -->is not HH:MM");
  });

  it("uses the form's own labels and renders nothing without errors", async () => {
    const markup = await html(h(ErrorSummary, { prefix: "drill", errors: { heldAt: "is required" }, labelFor: () => "When" }));
    expect(markup).toContain("One field needs");
    expect(markup).toContain(">When</a>");
    expect(await html(h(ErrorSummary, { prefix: "drill", errors: {} }))).toBe("");
  });
});

describe("FilterBar", () => {
  it("is a labelled GET form with a Filter button, and a Clear link only while filtered", async () => {
    const group = h(CheckboxGroup, { legend: "Status", name: "status", choices: choicesOf(["open", "done"]), checked: ["done"] });
    const filtered = await html(h(FilterBar, { label: "Filter incidents", clearTo: "/incidents", canClear: true, children: group }));
    expect(filtered).toMatch(/<form method="get"[^>]*class="form form-inline" aria-label="Filter incidents"/);
    expect(filtered).toContain('<input type="checkbox" name="status" checked="" value="done"/>');
    expect(filtered).toContain('<input type="checkbox" name="status" value="open"/>');
    expect(hrefs(filtered)).toEqual(["/incidents"]);
    const plain = await html(h(FilterBar, { label: "Filter incidents", clearTo: "/incidents", canClear: false, children: group }));
    expect(plain).toContain("<button type=\"submit\">Filter</button>");
    expect(hrefs(plain)).toEqual([]);
  });

  it("takes its own submit label, extra classes and controls after the buttons", async () => {
    const markup = await html(
      h(FilterBar, {
        label: "Period and scope",
        clearTo: "/reliability",
        canClear: true,
        submitLabel: "Show",
        className: "no-print",
        after: h("button", { type: "button", className: "secondary" }, "Print"),
        children: h(TextField, { prefix: "rel", name: "from", label: "From", type: "date", value: "" }),
      }),
    );
    expect(markup).toMatch(/<form method="get"[^>]*class="form form-inline no-print" aria-label="Period and scope"/);
    expect(markup).toMatch(/<button type="submit">Show<\/button><a [^>]*href="\/reliability"[^>]*>Clear<\/a><button type="button" class="secondary">Print<\/button><\/form>$/);
  });
});

describe("ListCount", () => {
  it("counts the matching rows with a CSV link, says so when none match, and shows a filter's error as an alert", async () => {
    const many = await html(h(ListCount, { error: null, total: 1204, one: "action", many: "actions", csvHref: "/actions.csv?owner=x" }));
    expect(many).toContain("1,204 actions");
    expect(hrefs(many)).toEqual(["/actions.csv?owner=x"]);
    const one = await html(h(ListCount, { error: null, total: 1, one: "entry", many: "entries", csvHref: "/admin/audit.csv" }));
    expect(one).toContain("1 entry");
    const none = await html(h(ListCount, { error: null, total: 0, one: "entry", many: "entries", none: "No entries match.", csvHref: "/admin/audit.csv" }));
    expect(none).toContain("No entries match.");
    expect(hrefs(none)).toEqual([]);
    const failed = await html(h(ListCount, { error: "from: not a day (YYYY-MM-DD)", total: 0, one: "entry", many: "entries", csvHref: "/admin/audit.csv" }));
    expect(failed).toBe('<p class="form-error" role="alert">from: not a day (YYYY-MM-DD)</p>');
  });
});
