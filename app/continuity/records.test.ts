import { describe, expect, it } from "vitest";
import { readDrillForm, readInspectionForm, addRow, emptyInspectionForm } from "./forms";
import { describeFieldErrors, fieldPath, parseDrill, parseInspection, worstResult } from "./records";

/** The pure part: zod schemas of drills and inspections, their field-named errors, and the form mapping. */

const drill = {
  plan: "plan-swift-outage",
  scenario: "Alliance Access down",
  heldAt: "2026-03-14T07:00:00Z",
  type: "simulation",
  outcome: "passed",
  recoveryMinutes: 27,
};
const inspection = { system: "core-ledger", inspectedAt: "2026-11-20", inspector: "daily-check", result: "ok" };

describe("drill and inspection schemas", () => {
  it("takes a date-only value as 00:00 UTC and an offset date-time as its instant", () => {
    const dateOnly = parseDrill({ ...drill, heldAt: "2026-03-14" });
    const offset = parseDrill({ ...drill, heldAt: "2026-03-14T18:00:00+08:00" });
    expect(dateOnly.ok && dateOnly.value.heldAt.toISOString()).toBe("2026-03-14T00:00:00.000Z");
    expect(offset.ok && offset.value.heldAt.toISOString()).toBe("2026-03-14T10:00:00.000Z");
  });

  it("refuses a date-time without a zone, an impossible day and a wrong type, naming each field", () => {
    const noZone = parseDrill({ ...drill, heldAt: "2026-03-14T07:00" });
    expect(noZone.ok ? [] : noZone.errors.map((e) => e.field)).toEqual(["heldAt"]);
    const impossible = parseDrill({ ...drill, heldAt: "2026-02-30" });
    expect(impossible.ok ? null : impossible.errors[0]).toEqual({ field: "heldAt", message: "is not a real calendar day" });
    const wrong = parseDrill({ ...drill, type: "fire-drill", outcome: "great", recoveryMinutes: -3 });
    expect(wrong.ok ? [] : wrong.errors).toEqual([
      { field: "type", message: "must be one of tabletop, simulation, live_failover" },
      { field: "outcome", message: "must be one of passed, partial, failed" },
      { field: "recoveryMinutes", message: "cannot be negative" },
    ]);
  });

  it("names nested fields with list positions: checklist[2].result and correctiveActions[0].owner", () => {
    const result = parseInspection({
      ...inspection,
      checklist: [
        { item: "Backups", result: "ok" },
        { item: "Disk", result: "ok" },
        { item: "Certificates", result: "fine" },
      ],
      correctiveActions: [{ title: "Renew the certificate" }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toContainEqual({ field: "checklist[2].result", message: "must be one of ok, warning, failed" });
    expect(result.errors).toContainEqual({ field: "correctiveActions[0].owner", message: "is required: who is responsible" });
    expect(describeFieldErrors(result.errors)).toContain("checklist[2].result must be one of ok, warning, failed");
  });

  it("refuses unknown keys by name (a typo is not dropped silently)", () => {
    const result = parseDrill({ ...drill, outcom: "passed" });
    expect(result.ok ? [] : result.errors.map((e) => e.field)).toEqual(["outcom"]);
  });

  it("refuses an overall result better than the worst checklist item", () => {
    const result = parseInspection({ ...inspection, checklist: [{ item: "Replication", result: "failed", note: "lag 5 min" }] });
    expect(result.ok ? null : result.errors).toEqual([{ field: "result", message: "cannot be ok when checklist[0] is failed; use failed" }]);
    expect(parseInspection({ ...inspection, result: "failed", checklist: [{ item: "Replication", result: "warning" }] }).ok).toBe(true);
    expect(worstResult(["ok", "warning", "ok"])).toBe("warning");
  });

  it("defaults lists and notes, drops blank list entries, and keeps a null recovery time", () => {
    const result = parseDrill({ ...drill, recoveryMinutes: null, participants: ["Chen Wei", "  ", "Anna"] });
    expect(result.ok && result.value).toMatchObject({ recoveryMinutes: null, participants: ["Chen Wei", "Anna"], findings: [], notes: "", correctiveActions: [] });
  });

  it("writes paths as field[n].key", () => {
    expect(fieldPath(["checklist", 2, "result"])).toBe("checklist[2].result");
    expect(fieldPath(["correctiveActions", 0])).toBe("correctiveActions[0]");
  });
});

describe("drill and inspection forms", () => {
  function form(entries: Record<string, string>) {
    const data = new FormData();
    for (const [k, v] of Object.entries(entries)) data.append(k, v);
    return data;
  }

  it("reads the date-time in the viewer's zone, one participant per line, and leaves blank action rows out", () => {
    const { raw } = readDrillForm(
      form({
        plan: "plan-swift-outage",
        planRevision: "",
        scenario: "MQ down",
        heldAt: "2026-03-14T15:00",
        type: "simulation",
        outcome: "partial",
        recoveryMinutes: "44",
        participants: "Chen Wei\r\n\r\nAnna Kowalska\n",
        findings: "",
        notes: "",
        "correctiveActions[0].title": "",
        "correctiveActions[0].owner": "",
        "correctiveActions[0].dueDate": "",
        "correctiveActions[0].status": "open",
        "correctiveActions[1].title": "Fix the MQ channel",
        "correctiveActions[1].owner": "Wang Hao",
        "correctiveActions[1].dueDate": "2026-04-30",
        "correctiveActions[1].status": "open",
      }),
      "Asia/Shanghai",
    );
    const parsed = parseDrill(raw);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.value.heldAt.toISOString()).toBe("2026-03-14T07:00:00.000Z");
    expect(parsed.value.participants).toEqual(["Chen Wei", "Anna Kowalska"]);
    expect(parsed.value.planRevision).toBeUndefined();
    expect(parsed.value.correctiveActions).toEqual([
      { title: "Fix the MQ channel", owner: "Wang Hao", dueDate: "2026-04-30", status: "open", notes: "" },
    ]);
  });

  it("reports errors on the row the person typed in, even below a blank row", () => {
    const { raw, errorsFor, values } = readInspectionForm(
      form({
        system: "core-ledger",
        inspectedAt: "2026-11-20T09:30",
        inspector: "Li Na",
        result: "ok",
        "checklist[0].item": "",
        "checklist[0].result": "ok",
        "checklist[0].note": "",
        "checklist[1].item": "",
        "checklist[1].result": "warning",
        "checklist[1].note": "lag 40 s",
        "correctiveActions[0].title": "",
        "correctiveActions[0].owner": "",
        "correctiveActions[0].dueDate": "",
        "correctiveActions[1].title": "Check replication",
        "correctiveActions[1].owner": "",
        "correctiveActions[1].dueDate": "",
      }),
      "UTC",
    );
    const parsed = parseInspection(raw);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const errors = errorsFor(parsed.errors);
    expect(errors["checklist[1].item"]).toMatch(/required/);
    expect(errors["correctiveActions[1].owner"]).toMatch(/required/);
    expect(errors.result).toMatch(/checklist\[1\] is warning/); // the row as typed, in the message too
    // What was typed comes back unchanged.
    expect(values.checklist[1]).toEqual({ item: "", result: "warning", note: "lag 40 s" });
  });

  it("passes an unreadable date-time through so the schema names the field", () => {
    const { raw } = readDrillForm(form({ heldAt: "next tuesday" }), "UTC");
    const parsed = parseDrill(raw);
    expect(parsed.ok ? [] : parsed.errors.map((e) => e.field)).toContain("heldAt");
  });

  it("adds a row on request without JavaScript", () => {
    const values = emptyInspectionForm("core-ledger", new Date("2026-11-22T00:00:00Z"), "UTC", "Li Na");
    expect(addRow(values, "add-checklist")!.checklist).toHaveLength(values.checklist.length + 1);
    expect(addRow(values, "add-action")!.correctiveActions).toHaveLength(values.correctiveActions.length + 1);
    expect(addRow(values, "save")).toBeNull();
  });
});
