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
