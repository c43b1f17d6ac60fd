import { describe, expect, it } from "vitest";
import { formatInZone, isValidTimeZone, parseInZone, timeZoneFromCookie, toDateTimeLocalValue } from "./time";

describe("time zones", () => {
  it("reads wall-clock input in the person's zone, DST included", () => {
    expect(parseInZone("2026-03-01T15:05", "Europe/Warsaw").toISOString()).toBe("2026-03-01T14:05:00.000Z");
    expect(parseInZone("2026-07-01T15:05", "Europe/Warsaw").toISOString()).toBe("2026-07-01T13:05:00.000Z");
    expect(parseInZone("2026-07-01 08:00", "Asia/Shanghai").toISOString()).toBe("2026-07-01T00:00:00.000Z");
    expect(parseInZone("2026-07-01T08:00:30", "UTC").toISOString()).toBe("2026-07-01T08:00:30.000Z");
  });

  it("refuses what is not a date-time, a real date or a zone", () => {
    expect(() => parseInZone("yesterday", "UTC")).toThrow(/YYYY-MM-DDTHH:mm/);
    expect(() => parseInZone("2026-02-30T10:00", "UTC")).toThrow(/not a real date/);
    expect(() => parseInZone("2026-02-01T10:00", "Mars/Olympus")).toThrow(/not a known time zone/);
  });

  it("shows instants in a zone, and round-trips through datetime-local values", () => {
    const at = new Date("2026-03-01T14:05:00Z");
    expect(formatInZone(at, "Europe/Warsaw")).toBe("2026-03-01 15:05 GMT+1");
    expect(formatInZone(at, "UTC")).toBe("2026-03-01 14:05 UTC");
    const local = toDateTimeLocalValue(at, "Asia/Kolkata");
    expect(local).toBe("2026-03-01T19:35");
    expect(parseInZone(local, "Asia/Kolkata").toISOString()).toBe(at.toISOString());
  });

  it("takes the zone from the cookie only when it is a real zone", () => {
    expect(timeZoneFromCookie("sid=1; tz=Asia%2FShanghai")).toBe("Asia/Shanghai");
    expect(timeZoneFromCookie("tz=Not/AZone")).toBe("UTC");
    expect(timeZoneFromCookie(null)).toBe("UTC");
    expect(isValidTimeZone("Europe/Warsaw")).toBe(true);
  });
});
