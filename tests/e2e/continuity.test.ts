import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInWithToken, startServer, type RunningServer } from "./harness";

/**
 * The continuity issue's "done means", in Chromium against the production build with the demo
 * content: record a drill from a contingency plan's page and see drill coverage change; post an
 * inspection through the API and see the coverage matrix change.
 */
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let token: string;
const PLAN = "plan-market-data-vendor-outage"; // demo: drill overdue
const SYSTEM = "custody-settlement"; // demo: tier 1, inspections stopped on 2026-11-13

interface Coverage {
  drillCoverage: { value: number; numerator: number; denominator: number; shortfalls: Array<{ plan?: string; system?: string; reason: string }> };
  inspectionCoverage: { numerator: number; denominator: number; shortfalls: Array<{ system: string; reason: string }> };
}

async function coverage(): Promise<Coverage> {
  const response = await context.request.get(`${server.url}/api/v1/metrics/coverage`);
  expect(response.status()).toBe(200);
  return response.json();
}

/** Yesterday at 12:00 as a datetime-local value (in any zone, safely in the past). */
function yesterdayNoon(): string {
  const d = new Date(Date.now() - 86_400_000);
  return `${d.toISOString().slice(0, 10)}T12:00`;
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext();
  token = await signInWithToken(server, context, { email: "anna.kowalska@lhb.example", name: "Anna Kowalska", role: "editor", password: "drill-often-drill-well" });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("a continuity manager", () => {
  it("records a drill from the plan page, and drill coverage counts the plan", async () => {
    const before = await coverage();
    expect(before.drillCoverage.shortfalls.some((s) => s.plan === PLAN), "the demo plan starts overdue").toBe(true);

    const page = await context.newPage();
    await page.goto(`${server.url}/docs/${PLAN}`);
    await page.getByRole("link", { name: "Record drill" }).click();
    await page.waitForURL((url) => url.pathname === "/drills/new");
    await page.getByLabel("When").fill(yesterdayNoon());
    await page.getByLabel("Type").selectOption("simulation");
    await page.getByLabel("Outcome").selectOption("passed");
    await page.getByLabel("Scenario exercised").fill("Primary market-data vendor feed stops; switch to the secondary vendor");
    await page.getByLabel("Participants").fill("Anna Kowalska\nWang Hao");
    await page.getByRole("button", { name: "Record drill" }).first().click();
    await page.waitForURL((url) => /^\/drills\/[0-9a-f-]{36}$/.test(url.pathname));
    // A client-side navigation commits the URL before React renders the new page: wait for the text.
    await page.locator("main").getByText("passed").first().waitFor({ state: "visible" });

    const after = await coverage();
    expect(after.drillCoverage.numerator).toBe(before.drillCoverage.numerator + 1);
    expect(after.drillCoverage.denominator).toBe(before.drillCoverage.denominator);
    expect(after.drillCoverage.shortfalls.some((s) => s.plan === PLAN)).toBe(false);

    // The dashboard shows the same figure, and the plan page lists the drill.
    await page.goto(`${server.url}/coverage`);
    const card = page.locator("section.coverage-card", { has: page.locator("h2", { hasText: /drill/i }) });
    await expect(card.locator(".coverage-value").innerText()).resolves.toContain(
      `${after.drillCoverage.numerator} of ${after.drillCoverage.denominator}`,
    );
    await page.goto(`${server.url}/docs/${PLAN}`);
    await expect(page.locator("#continuity").innerText()).resolves.toContain("Primary market-data vendor feed stops");
    await page.close();
  });

  it("posts an inspection through the API, and the matrix turns the system's inspection cell current", async () => {
    const page = await context.newPage();
    const inspectionCell = async () => {
      await page.goto(`${server.url}/coverage`);
      const row = page.locator("table.coverage-matrix tbody tr", { has: page.locator(`a[href="/systems/${SYSTEM}"]`) });
      return row.locator("td.coverage-cell").nth(2);
    };
    const before = await inspectionCell();
    await expect(before.getAttribute("class")).resolves.toMatch(/coverage-overdue/);
    const beforeFigures = await coverage();
    expect(beforeFigures.inspectionCoverage.shortfalls.some((s) => s.system === SYSTEM)).toBe(true);

    // What a monitoring job would send: a bad payload is refused naming the field, and stores nothing.
    const bad = await context.request.post(`${server.url}/api/v1/inspections`, {
      headers: { authorization: `Bearer ${token}` },
      data: { system: SYSTEM, inspectedAt: new Date().toISOString(), inspector: "custody-daily-check", result: "fine" },
    });
    expect(bad.status()).toBe(400);
    expect((await bad.json()).fields).toEqual([expect.objectContaining({ field: "result" })]);
    expect((await coverage()).inspectionCoverage.numerator).toBe(beforeFigures.inspectionCoverage.numerator);

    const posted = await context.request.post(`${server.url}/api/v1/inspections`, {
      headers: { authorization: `Bearer ${token}` },
      data: {
        system: SYSTEM,
        inspectedAt: new Date(Date.now() - 60_000).toISOString(),
        inspector: "custody-daily-check",
        result: "warning",
        checklist: [
          { item: "ChinaClear gateway reachable", result: "ok" },
          { item: "Settlement queue depth", result: "warning", note: "412 instructions pending" },
        ],
        findings: ["Settlement queue deeper than usual before the T+0 batch"],
      },
    });
    expect(posted.status()).toBe(201);

    const after = await inspectionCell();
    await expect(after.getAttribute("class")).resolves.toMatch(/coverage-current/);
    const afterFigures = await coverage();
    expect(afterFigures.inspectionCoverage.numerator).toBe(beforeFigures.inspectionCoverage.numerator + 1);
    expect(afterFigures.inspectionCoverage.shortfalls.some((s) => s.system === SYSTEM)).toBe(false);

    // The system page shows it as the latest inspection.
    await page.goto(`${server.url}/systems/${SYSTEM}`);
    await expect(page.locator("#inspections").innerText()).resolves.toMatch(/warning/i);
    await page.close();
  });
});
