/**
 * The reliability page's availability cell rendered to HTML (react-dom/server in a memory router):
 * each incident behind the downtime is named by number, severity and title, not by number alone.
 */
import { createElement as h } from "react";
import { renderToString } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { describe, expect, it } from "vitest";
import { AvailabilityIncidents } from "./reliability";

const render = (node: ReturnType<typeof h>) => renderToString(h(MemoryRouter, null, node));

describe("AvailabilityIncidents", () => {
  it("lists each incident with its link, severity and title", () => {
    const html = render(
      h(AvailabilityIncidents, {
        incidents: [
          { id: "12", number: 12, title: "Core ledger split brain", severity: "SEV1", href: "/incidents/12" },
          { id: "15", number: 15, title: "mTLS certificate expired", severity: "SEV2", href: "/incidents/15" },
        ],
      }),
    );
    expect(html).toMatch(/<a [^>]*href="\/incidents\/12">INC-12<\/a>/);
    expect(html).toContain("Core ledger split brain");
    expect(html).toContain("mTLS certificate expired");
    expect(html).toMatch(/badge-sev1[^>]*>SEV1</);
  });

  it("says — when no incident cost downtime", () => {
    expect(render(h(AvailabilityIncidents, { incidents: [] }))).toBe("—");
  });
});
