import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, signInWithToken, startServer, type RunningServer } from "./harness";

/**
 * The incidents issue's "done means", in Chromium against the production build with the demo
 * content: open an incident through the Alertmanager webhook, resolve it, write its postmortem, add
 * a corrective action, close it, and see the reliability figures change.
 */
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let token: string;
const SYSTEM = "swift-connector";
const OWNER = "Piotr Nowak (e2e)";

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const FROM = day(-1);
const TO = day(1);

interface Reliability {
  mttr: Record<string, { meanMinutes: number | null; count: number; incomplete: number }>;
  actionClosure: { numerator: number; denominator: number };
}

async function reliability(): Promise<Reliability> {
  const response = await context.request.get(`${server.url}/api/v1/metrics/reliability?from=${FROM}&to=${TO}&system=${SYSTEM}`);
  expect(response.status()).toBe(200);
  return response.json();
}

function alertmanager(status: "firing" | "resolved", startsAt: Date, endsAt: Date | null) {
  const alert = {
    status,
    labels: { alertname: "SwiftQueueBacklog", system: SYSTEM, severity: "critical", instance: "mq-sha-01" },
    annotations: { summary: "SWIFT outbound queue backlog above 500 messages" },
    startsAt: startsAt.toISOString(),
    endsAt: endsAt ? endsAt.toISOString() : "0001-01-01T00:00:00Z",
    generatorURL: "http://prometheus.lhb.example/graph",
    fingerprint: "5f1c0a3e9b7d2c44",
  };
  return {
    version: "4",
    groupKey: '{}/{system="swift-connector"}:{alertname="SwiftQueueBacklog"}',
    truncatedAlerts: 0,
    status,
    receiver: "drillbook",
    groupLabels: { alertname: "SwiftQueueBacklog" },
    commonLabels: alert.labels,
    commonAnnotations: alert.annotations,
    externalURL: "http://alertmanager.lhb.example",
    alerts: [alert],
  };
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext();
  token = await signInWithToken(server, context, { email: "wang.hao@lhb.example", name: "Wang Hao", role: "editor", password: "postmortems-are-blameless" });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("an on-call engineer", () => {
  it("opens an incident from Alertmanager, resolves it, writes the postmortem, and closes its action", async () => {
    const before = await reliability();
    const started = new Date(Date.now() - 3 * 3_600_000);
    const resolved = new Date(Date.now() - 3_600_000);

    const firing = await context.request.post(`${server.url}/api/v1/alertmanager`, {
      headers: { authorization: `Bearer ${token}` },
      data: alertmanager("firing", started, null),
    });
    expect(firing.status()).toBeLessThan(300);
    const opened = await firing.json();
    expect(opened.outcome).toBe("created");
    const number: number = opened.number;
    const severity = (await (await context.request.get(`${server.url}/api/v1/incidents/${number}`)).json()).severity as string;

    // Open: counted as incomplete for MTTR, not as zero.
    const whileOpen = await reliability();
    expect(whileOpen.mttr[severity]!.incomplete).toBe(before.mttr[severity]!.incomplete + 1);
    expect(whileOpen.mttr[severity]!.count).toBe(before.mttr[severity]!.count);

    const resolving = await context.request.post(`${server.url}/api/v1/alertmanager`, {
      headers: { authorization: `Bearer ${token}` },
      data: alertmanager("resolved", started, resolved),
    });
    expect(resolving.status()).toBeLessThan(300);
    const afterResolve = await reliability();
    expect(afterResolve.mttr[severity]!.count).toBe(before.mttr[severity]!.count + 1);
    expect(afterResolve.mttr[severity]!.incomplete).toBe(before.mttr[severity]!.incomplete);

    // The incident page: timeline with the alert, and "Write postmortem".
    const page = await context.newPage();
    await page.goto(`${server.url}/incidents/${number}`);
    await expect(page.locator("h1").innerText()).resolves.toContain(`INC-${number}`);
    await expect(page.locator("main").innerText()).resolves.toContain("SwiftQueueBacklog");
    await page.getByRole("button", { name: "Write postmortem" }).click();
    await page.waitForURL((url) => url.pathname.startsWith("/edit/"));
    const editor = page.locator("#field-markdown");
    expect(await editor.inputValue()).toContain(`INC-${number}`);
    await page.locator('button[name="intent"][value="save"]').click();
    await page.waitForURL((url) => url.pathname.startsWith("/docs/"));
    const postmortemPath = new URL(page.url()).pathname;

    // Linked both ways.
    // A client-side navigation commits the URL before React renders the new page: wait for the link.
    await page.locator("main").getByRole("link", { name: new RegExp(`INC-${number}`) }).first().waitFor({ state: "visible" });
    await page.goto(`${server.url}/incidents/${number}`);
    await expect(page.locator(`aside a[href="${postmortemPath}"]`).count()).resolves.toBe(1);

    // Add a corrective action due today; a refused form (no title) keeps what was typed.
    await page.locator("#action-owner").fill(OWNER);
    await page.locator("#action-dueDate").fill(day(0));
    await page.getByRole("button", { name: "Add corrective action" }).click();
    await page.locator("#action-title-error").waitFor();
    await expect(page.locator("#action-owner").inputValue()).resolves.toBe(OWNER);
    await expect(page.locator("#action-dueDate").inputValue()).resolves.toBe(day(0));
    await page.locator("#action-title").fill("Alert on SWIFT queue growth rate, not only depth");
    await page.getByRole("button", { name: "Add corrective action" }).click();
    await page.locator("#actions ~ table", { hasText: OWNER }).waitFor();
    // Open and due today: pending, in neither count yet.
    const withAction = await reliability();
    expect(withAction.actionClosure.denominator).toBe(before.actionClosure.denominator);
    expect(withAction.actionClosure.numerator).toBe(before.actionClosure.numerator);

    // Close it inline in the corrective-action list.
    await page.goto(`${server.url}/actions?owner=${encodeURIComponent(OWNER)}&status=open&status=in_progress&status=done&status=wont_do`);
    // The in-place edit is a fetcher form: wait for hydration so it does not fall back to a full POST.
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const row = page.locator("tr", { hasText: "Alert on SWIFT queue growth rate" });
    await row.locator('select[name="status"]').selectOption("done");
    await row.getByRole("button", { name: "Save" }).click();
    await row.getByRole("status").waitFor();
    await expect(row.locator('select[name="status"]').inputValue()).resolves.toBe("done");

    const closed = await reliability();
    expect(closed.actionClosure.numerator).toBe(before.actionClosure.numerator + 1);
    expect(closed.actionClosure.denominator).toBe(before.actionClosure.denominator + 1);

    // The postmortem page shows the action with its status.
    await page.goto(`${server.url}${postmortemPath}`);
    await expect(page.locator("main").innerText()).resolves.toMatch(/Alert on SWIFT queue growth rate[\s\S]*done/i);

    // And the reliability page lists the incident (behind the ratios, in collapsed lists) and the action.
    await page.goto(`${server.url}/reliability?from=${FROM}&to=${TO}&system=${SYSTEM}`);
    expect(await page.locator(`main a[href="/incidents/${number}"]`).count()).toBeGreaterThan(0);
    await expect(page.locator("main").innerText()).resolves.toContain("Corrective-action closure on time");
    await page.close();
  });

  it("narrows the incident form's runbook list by typing, and names what is chosen", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/incidents/new`);
    await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    const list = page.getByLabel("Runbooks used");
    const all = await list.locator("option").count();
    await page.getByLabel("Filter runbooks").fill("swift");
    const shown = await list.locator("option:not([hidden])").allTextContents();
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(all);
    for (const label of shown) expect(label.toLowerCase()).toContain("swift");
    await list.selectOption({ label: shown[0]! });
    await page.getByText(`Chosen (1): ${shown[0]}`).waitFor();
    // Clearing the filter shows every runbook again, and the choice stays.
    await page.getByLabel("Filter runbooks").fill("");
    expect(await list.locator("option:not([hidden])").count()).toBe(all);
    expect(await list.evaluate((el: HTMLSelectElement) => Array.from(el.selectedOptions, (o) => o.textContent))).toEqual([shown[0]]);
    await page.close();
  });
});
