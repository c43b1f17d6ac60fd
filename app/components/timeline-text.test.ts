/**
 * The incident page's timeline rendered to HTML (react-dom/server inside a static data router with
 * a root loader, as Remix renders it on the server): an event parsed from a postmortem shows its
 * Markdown as markup, not as `**` and backticks.
 */
import { createElement as h, type ReactElement } from "react";
import { renderToString } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { timelineEntries } from "../incidents/timeline-view";
import { IncidentTimeline } from "./incidents";
import { TimelineText } from "./timeline-text";

async function renderInRouter(element: () => ReactElement): Promise<string> {
  const routes = [{ id: "root", path: "/", loader: () => ({ timeZone: "Asia/Shanghai" }), Component: element }];
  const handler = createStaticHandler(routes);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("unexpected redirect");
  return renderToString(h(StaticRouterProvider, { router: createStaticRouter(handler.dataRoutes, context), context, hydrate: false }));
}

describe("IncidentTimeline", () => {
  it("shows an event's inline Markdown as markup", async () => {
    const entries = timelineEntries({ startedAt: "2026-03-10T00:00:00Z" }, [
      { at: "2026-03-10T00:06:00Z", text: "**Detected.** `pgw_standin_active` rose; Ana & Li <on call>", source: "row 4 (line 40)" },
    ]);
    const html = await renderInRouter(() => h(IncidentTimeline, { entries, durations: [] }));
    expect(html).toContain("<strong>Detected.</strong>");
    expect(html).toContain("<code>pgw_standin_active</code>");
    expect(html).toContain("Ana &amp; Li &lt;on call&gt;");
    expect(html).not.toContain("**Detected.**");
    expect(html).not.toContain("`pgw_standin_active`");
    expect(html).toContain("2026-03-10 08:06"); // the viewer's zone still applies to the entry's time
  });

  it("falls back to the plain text (escaped) when no HTML was rendered", () => {
    expect(renderToString(h(TimelineText, { text: "<b>x</b>" }))).toBe('<span class="timeline-text">&lt;b&gt;x&lt;/b&gt;</span>');
  });
});
