import { describe, expect, it } from "vitest";
import {
  formatMinutes,
  incidentInputFromForm,
  incidentInputSchema,
  emptyIncidentForm,
  parseIncidentReference,
  timestampOrderProblems,
} from "./incident-input";

const NOW = new Date("2026-11-22T12:00:00Z");
const base = {
  title: "Ledger postings time out",
  severity: "SEV2",
  systems: ["core-ledger"],
  startedAt: "2026-06-13T14:31:00Z",
};
const parse = (extra: Record<string, unknown>) => incidentInputSchema({ now: NOW }).safeParse({ ...base, ...extra });
const errorsOf = (extra: Record<string, unknown>) => {
  const result = parse(extra);
  expect(result.success).toBe(false);
  return Object.fromEntries(result.error!.issues.map((i) => [i.path.join("."), i.message]));
};

describe("incident input", () => {
  it("accepts a minimal incident and derives the status from the timestamps", () => {
    const open = parse({});
    expect(open.success && open.data.status).toBe("open");
    const mitigated = parse({ mitigatedAt: "2026-06-13T15:38:00Z" });
    expect(mitigated.success && mitigated.data.status).toBe("mitigated");
    const resolved = parse({ resolvedAt: "2026-06-14T03:10:00Z", rootCauseCategory: "change" });
    expect(resolved.success && resolved.data.status).toBe("resolved");
    expect(resolved.success && resolved.data.startedAt.toISOString()).toBe("2026-06-13T14:31:00.000Z");
  });

  it("names the field of each problem", () => {
    const errors = errorsOf({ title: " ", severity: "SEV5", systems: [], startedAt: "yesterday", usersAffected: -3 });
    expect(Object.keys(errors).sort()).toEqual(["severity", "startedAt", "systems", "title", "usersAffected"]);
    expect(errors.severity).toMatch(/SEV1, SEV2, SEV3, SEV4/);
    expect(errors.systems).toMatch(/at least one/);
  });

  it("refuses timestamps before started at, naming both fields", () => {
    const errors = errorsOf({ resolvedAt: "2026-06-13T14:00:00Z" });
    expect(errors.resolvedAt).toBe("resolved at (2026-06-13 14:00 UTC) is before started at (2026-06-13 14:31 UTC)");
  });

  it("refuses acknowledgement before detection and resolution before mitigation", () => {
    const errors = errorsOf({
      detectedAt: "2026-06-13T14:40:00Z",
      acknowledgedAt: "2026-06-13T14:36:00Z",
      mitigatedAt: "2026-06-13T15:38:00Z",
      resolvedAt: "2026-06-13T15:00:00Z",
    });
    expect(errors.acknowledgedAt).toMatch(/^acknowledged at .* is before detected at/);
    expect(errors.resolvedAt).toMatch(/^resolved at .* is before mitigated at/);
  });

  it("allows mitigation before acknowledgement and detection after resolution", () => {
    expect(parse({ acknowledgedAt: "2026-06-13T15:00:00Z", mitigatedAt: "2026-06-13T14:45:00Z" }).success).toBe(true);
    expect(parse({ resolvedAt: "2026-06-13T15:00:00Z", detectedAt: "2026-06-14T09:00:00Z", acknowledgedAt: "2026-06-14T09:05:00Z" }).success).toBe(true);
  });

  it("shows the times of an order error in the incident's zone", () => {
    const errors = errorsOf({ timezone: "Asia/Shanghai", detectedAt: "2026-06-13T14:00:00Z" });
    expect(errors.detectedAt).toBe("detected at (2026-06-13 22:00 GMT+8) is before started at (2026-06-13 22:31 GMT+8)");
  });

  it("refuses the future, an amount without a currency, and a status that contradicts the times", () => {
    expect(errorsOf({ startedAt: "2026-11-23T00:00:00Z" }).startedAt).toMatch(/in the future/);
    expect(errorsOf({ financialImpact: 1200 }).financialImpactCurrency).toMatch(/required/);
    expect(errorsOf({ status: "closed" }).resolvedAt).toMatch(/required when the status is closed/);
    expect(errorsOf({ status: "open", resolvedAt: "2026-06-14T00:00:00Z" }).status).toMatch(/open but resolved at is set/);
  });

  it("reads wall-clock form times in the zone chosen on the form (DST-aware)", () => {
    const values = {
      ...emptyIncidentForm("Europe/Warsaw"),
      title: "SSO down",
      severity: "SEV1",
      systems: ["identity-sso"],
      startedAt: "2026-09-15T11:42",
      resolvedAt: "2026-09-15T15:30",
      customerImpact: "yes",
    };
    const result = incidentInputFromForm(values, { now: NOW });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.input.startedAt.toISOString()).toBe("2026-09-15T09:42:00.000Z"); // CEST, UTC+2
    expect(result.input.resolvedAt!.toISOString()).toBe("2026-09-15T13:30:00.000Z");
    expect(result.input.customerImpact).toBe(true);
    const winter = incidentInputFromForm({ ...values, timezone: "Europe/Warsaw", startedAt: "2026-01-15T11:42", resolvedAt: "" }, { now: NOW });
    expect(winter.ok && winter.input.startedAt.toISOString()).toBe("2026-01-15T10:42:00.000Z"); // CET, UTC+1
    const shanghai = incidentInputFromForm({ ...values, timezone: "Asia/Shanghai" }, { now: NOW });
    expect(shanghai.ok && shanghai.input.startedAt.toISOString()).toBe("2026-09-15T03:42:00.000Z");
  });

  it("keeps form errors per field: a bad wall-clock time, a missing start, an unknown zone", () => {
    const values = { ...emptyIncidentForm("UTC"), title: "x", systems: ["core-ledger"], startedAt: "", detectedAt: "2026-02-30T10:00" };
    const result = incidentInputFromForm(values, { now: NOW });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.startedAt).toBe("is required");
    expect(result.errors.detectedAt).toMatch(/not a real date/);
    const zone = incidentInputFromForm({ ...values, startedAt: "2026-02-01T10:00", timezone: "Mars/Base" }, { now: NOW });
    expect(!zone.ok && zone.errors.timezone).toMatch(/IANA/);
  });

  it("reads incident references", () => {
    expect(parseIncidentReference("INC-42")).toEqual({ number: 42 });
    expect(parseIncidentReference("42")).toEqual({ number: 42 });
    expect(parseIncidentReference("nope")).toBeNull();
    expect(timestampOrderProblems({ startedAt: new Date("2026-01-01T00:00:00Z") }, { now: NOW })).toEqual([]);
    expect(formatMinutes(65)).toBe("1 h 05 min");
    expect(formatMinutes(1500)).toBe("1 d 1 h");
  });
});
