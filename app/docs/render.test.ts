import { describe, expect, it } from "vitest";
import { renderRevision, withoutLeadingTitle } from "./render.server";

describe("withoutLeadingTitle", () => {
  it("drops a first heading that repeats the title, ignoring case, spaces and punctuation", () => {
    expect(withoutLeadingTitle("\n# KubePodCrashLooping\n\n## Meaning\n", "Kube Pod Crash Looping")).toBe("\n## Meaning\n");
    expect(withoutLeadingTitle("# Disk full!\nText", "disk full")).toBe("Text");
  });

  it("keeps a first heading that differs from the title, and bodies without one", () => {
    expect(withoutLeadingTitle("# Purpose and Scope\n", "Business Continuity Policy")).toBe("# Purpose and Scope\n");
    expect(withoutLeadingTitle("Intro\n# Title\n", "Title")).toBe("Intro\n# Title\n");
  });
});

describe("renderRevision", () => {
  it("re-renders when a wiki-link target appears, and serves the same revision from the cache otherwise", () => {
    const body = "See [[target-doc]].";
    const broken = renderRevision(1_000_001, "T", body, new Map());
    expect(broken.html).toContain("wiki-link-broken");
    const fixed = renderRevision(1_000_001, "T", body, new Map([["target-doc", { title: "Target" }]]));
    expect(fixed.html).not.toContain("wiki-link-broken");
    expect(fixed.html).toContain(">Target<");
    expect(renderRevision(1_000_001, "T", body, new Map([["target-doc", { title: "Target" }]]))).toBe(fixed);
  });
});
