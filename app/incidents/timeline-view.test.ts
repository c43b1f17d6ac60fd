import { describe, expect, it } from "vitest";
import { stepDurations, timelineEntries } from "./timeline-view";

const incident = {
  startedAt: new Date("2026-03-10T00:00:00Z"),
  detectedAt: new Date("2026-03-10T00:11:00Z"),
  acknowledgedAt: new Date("2026-03-10T00:14:00Z"),
  mitigatedAt: null,
  resolvedAt: new Date("2026-03-10T02:40:00Z"),
  timestampSources: { startedAt: "frontmatter started_at" },
};

describe("incident timeline view", () => {
  it("orders timestamps and events, timestamps first at the same minute", () => {
    const entries = timelineEntries(incident, [
      { at: "2026-03-10T00:14:00Z", text: "Zhang Yu declares SEV2", source: "form" },
      { at: "2026-03-10T00:06:00Z", text: "First card calls", source: "row 9" },
    ]);
    expect(entries.map((e) => e.label || e.text)).toEqual(["Started", "First card calls", "Detected", "Acknowledged", "Zhang Yu declares SEV2", "Resolved"]);
    expect(entries[0]!.source).toBe("frontmatter started_at");
  });

  it("gives minutes between the steps, null (not 0) where a timestamp is missing", () => {
    const d = Object.fromEntries(stepDurations(incident).map((s) => [s.label, s.minutes]));
    expect(d["Time to detect (started → detected)"]).toBe(11);
    expect(d["Time to acknowledge (detected → acknowledged)"]).toBe(3);
    expect(d["Acknowledged → mitigated"]).toBeNull();
    expect(d["Mitigated → resolved"]).toBeNull();
    expect(d["Time to restore (started → mitigated, else resolved)"]).toBe(160);
    expect(d["Total (started → resolved)"]).toBe(160);
  });
});

describe("timeline entry text as inline Markdown", () => {
  it("renders a postmortem row's markers, code spans, links and wiki links, and keeps raw HTML inert", () => {
    const [entry] = timelineEntries({}, [
      {
        at: "2026-03-10T00:06:00Z",
        text: "**Start.** `kubectl rollout restart` per [[core-ledger-replication-lag]], see [status](https://status.example.com) <script>alert(1)</script>",
        source: "row 3 (line 41)",
      },
    ]);
    expect(entry!.text).toContain("**Start.**"); // the stored text is unchanged
    expect(entry!.html).toContain("<strong>Start.</strong>");
    expect(entry!.html).toContain("<code>kubectl rollout restart</code>");
    expect(entry!.html).toContain('<a class="wiki-link" href="/docs/core-ledger-replication-lag">core-ledger-replication-lag</a>');
    expect(entry!.html).toContain('<a href="https://status.example.com" rel="noopener noreferrer">status</a>');
    expect(entry!.html).not.toContain("<script");
    expect(entry!.html).toContain("&lt;script&gt;");
    expect(entry!.html).not.toMatch(/^<p>/); // inline: no paragraph inside the list item
  });

  it("drops unsafe link targets and leaves timestamps without HTML", () => {
    const entries = timelineEntries({ startedAt: "2026-03-10T00:00:00Z" }, [{ at: "2026-03-10T00:01:00Z", text: "[click](javascript:alert(1))", source: "form" }]);
    expect(entries[0]!.html).toBe("");
    expect(entries[1]!.html).not.toContain("<a"); // markdown-it refuses the link: it stays text
    expect(entries[1]!.html).not.toContain("href");
  });
});
