import { describe, expect, it } from "vitest";
import { FrontmatterError, splitFrontmatter } from "./frontmatter";

describe("splitFrontmatter", () => {
  it("parses delimited YAML and returns the body after it", () => {
    const result = splitFrontmatter("---\ntitle: Kube Pod Crash Looping\nweight: 20\n---\n\n# KubePodCrashLooping\n");
    expect(result.data).toEqual({ title: "Kube Pod Crash Looping", weight: 20 });
    expect(result.body).toBe("\n# KubePodCrashLooping\n");
    expect(result.bodyLine).toBe(5);
  });

  it("accepts a header with only the closing delimiter (SOC 2 policy files)", () => {
    const text = "name: Business Continuity Policy\nacronym: BCP\nsatisfies:\n  TSC:\n    - CC9.1\n---\n\n# Purpose and Scope\n";
    const result = splitFrontmatter(text);
    expect(result.data).toEqual({ name: "Business Continuity Policy", acronym: "BCP", satisfies: { TSC: ["CC9.1"] } });
    expect(result.body.trim()).toBe("# Purpose and Scope");
  });

  it("treats a leading thematic break followed by Markdown as body, not frontmatter", () => {
    const text = "---\n# Bad AWS EKS AMI\n\n## Summary\n\nOn Monday: nodes failed.\n";
    const result = splitFrontmatter(text);
    expect(result.data).toBeNull();
    expect(result.body).toBe(text);
  });

  it("returns no frontmatter for plain Markdown starting with a blank line", () => {
    const result = splitFrontmatter("\n# KubePodCrashLooping\n\n## 含义\n");
    expect(result.data).toBeNull();
    expect(result.body).toBe("\n# KubePodCrashLooping\n\n## 含义\n");
  });

  it("keeps ISO dates as strings (YAML 1.2 core schema)", () => {
    expect(splitFrontmatter("---\nlast_reviewed: 2026-09-14\n---\nx").data).toEqual({ last_reviewed: "2026-09-14" });
  });

  it("throws with the file line when delimited YAML is broken", () => {
    const text = "---\ntitle: ok\ntags: [a, b\n---\nbody";
    expect(() => splitFrontmatter(text)).toThrow(FrontmatterError);
    try {
      splitFrontmatter(text);
    } catch (error) {
      expect((error as FrontmatterError).line).toBeGreaterThanOrEqual(2);
      expect((error as FrontmatterError).message).toMatch(/not valid YAML/);
    }
  });

  it("normalises CRLF line endings and a byte-order mark", () => {
    const result = splitFrontmatter("\uFEFF---\r\ntitle: A\r\n---\r\nbody\r\n");
    expect(result.data).toEqual({ title: "A" });
    expect(result.body).toBe("body\n");
  });
});
