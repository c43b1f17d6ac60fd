import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, startServer, type RunningServer } from "./harness";

/**
 * The accounts issue's "done means", as a new user in Chromium: sign in through the setup link,
 * create a runbook from the template, edit it twice, hit a conflict, compare revision 1 with 3,
 * restore 1, and find all of it in the audit log.
 */
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
const SLUG = "ledger-wal-archive-failing";
const EMAIL = "mei.lin@lhb.example";
const PASSWORD = "correct horse battery staple";

beforeAll(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function revisionNumber(): Promise<number> {
  const response = await context.request.get(`${server.url}/api/v1/documents/${SLUG}`);
  expect(response.status()).toBe(200);
  return (await response.json()).revision.number;
}

async function saveEdit(page: Page, change: (text: string) => string, message: string) {
  await page.goto(`${server.url}/edit/${SLUG}`);
  const editor = page.locator("#field-markdown");
  await editor.fill(change(await editor.inputValue()));
  await page.locator("#field-message").fill(message);
  await page.locator('button[name="intent"][value="save"]').click();
}

describe("a new user", () => {
  it("is sent to sign in, and creates the first admin through the one-time setup link", async () => {
    const link = /(\/setup\?token=[\w-]+)/.exec(server.output())?.[1];
    expect(link, "the console prints a setup link on first start").toBeTruthy();

    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");

    await page.goto(`${server.url}${link}`);
    await page.locator("#setup-name").fill("Mei Lin");
    await page.locator("#setup-email").fill(EMAIL);
    await page.locator("#setup-password").fill(PASSWORD);
    await page.locator("#setup-confirm").fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL((url) => url.pathname !== "/setup");
    // The header re-renders with the root loader's data once the redirect's loaders have run.
    await page.locator("header").getByText("Mei Lin").waitFor();

    // The link is one-time.
    const again = await context.request.get(`${server.url}${link}`);
    expect(await again.text()).not.toContain("Create admin and sign in");
    await page.close();
  });

  it("signs out and signs in again through the login form (a wrong password is refused)", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.locator("header summary").click();
    await page.locator('header form[action="/logout"]:not(:has(input[name="everywhere"])) button').click();
    // Sign-out always ends on /login; waiting for "/" as well returned at once (the page was already
    // there), and the next navigation raced the sign-out request.
    await page.waitForURL((url) => url.pathname === "/login");
    await page.locator("#login-email").waitFor();
    await page.goto(`${server.url}/search?q=ledger`);
    expect(new URL(page.url()).pathname).toBe("/login");

    await page.locator("#login-email").fill(EMAIL);
    await page.locator("#login-password").fill("not the password");
    await page.locator('button[type="submit"]').click();
    await page.getByText("E-mail or password is wrong").waitFor();
    expect(await page.locator("#login-email").inputValue()).toBe(EMAIL);

    await page.locator("#login-password").fill(PASSWORD);
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/search\?q=ledger/);
    await page.close();
  });

  it("creates a runbook from the template", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/new?kind=runbook`);
    const template = await page.locator("#field-markdown").inputValue();
    for (const section of ["Symptoms", "Impact", "Diagnosis", "Steps", "Verification", "Rollback", "Escalation"]) {
      expect(template).toContain(section);
    }
    // A rejected form keeps what was typed and points at the field.
    await page.locator("#field-markdown").fill(`${template}\n\nArchive check: \`pgbackrest check\`.\n`);
    await page.locator('button[name="intent"][value="save"]').click();
    await page.locator('#field-title[aria-invalid="true"]').waitFor();
    await expect(page.locator("main").textContent()).resolves.toContain("Give a title");
    expect(await page.locator("#field-markdown").inputValue()).toContain("pgbackrest check");

    await page.locator("#field-title").fill("Ledger WAL archive failing");
    await page.locator("#field-slug").fill(SLUG);
    await page.locator("#field-message").fill("First version");
    await page.locator('button[name="intent"][value="save"]').click();
    await page.waitForURL(new RegExp(`/docs/${SLUG}$`));
    await page.locator(".doc-header").getByText("Revision 1").waitFor();
    await page.close();
  });

  it("edits it twice, each save a new revision", async () => {
    const page = await context.newPage();
    await saveEdit(page, (t) => `${t}\nStep added in revision 2: check archive_command exit code.\n`, "Add exit code check");
    await page.waitForURL(new RegExp(`/docs/${SLUG}$`));
    expect(await revisionNumber()).toBe(2);
    await saveEdit(page, (t) => t.replace("revision 2", "revision 2 (reviewed in 3)"), "Clarify");
    await page.waitForURL(new RegExp(`/docs/${SLUG}$`));
    expect(await revisionNumber()).toBe(3);
    await page.close();
  });

  it("gets a conflict view, not a silent overwrite, when someone saved in between", async () => {
    const mine = await context.newPage();
    const theirs = await context.newPage();
    await mine.goto(`${server.url}/edit/${SLUG}`);
    await saveEdit(theirs, (t) => `${t}\nTheir line: page the DBA on call.\n`, "Theirs");
    await theirs.waitForURL(new RegExp(`/docs/${SLUG}$`));
    expect(await revisionNumber()).toBe(4);

    const editor = mine.locator("#field-markdown");
    await editor.fill(`${await editor.inputValue()}\nMy line: verify WAL segments in S3.\n`);
    await mine.locator('button[name="intent"][value="save"]').click();
    await mine.locator(".conflict").waitFor();
    const conflictText = (await mine.locator(".conflict").textContent()) ?? "";
    expect(conflictText).toContain("page the DBA on call");
    expect(await editor.inputValue()).toContain("My line: verify WAL segments in S3.");
    expect(await revisionNumber()).toBe(4);

    // Merge by hand and save again: now based on revision 4.
    await editor.fill(`${await editor.inputValue()}\nTheir line: page the DBA on call.\n`);
    await mine.locator('button[name="intent"][value="save"]').click();
    await mine.waitForURL(new RegExp(`/docs/${SLUG}$`));
    expect(await revisionNumber()).toBe(5);
    await mine.close();
    await theirs.close();
  });

  it("compares revision 1 with 3 and restores revision 1 as a new revision", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/compare/${SLUG}?from=1&to=3`);
    const diff = (await page.locator("main").textContent()) ?? "";
    expect(diff).toContain("check archive_command exit code");
    expect(await page.locator("ins, .diff-added, .diff-word-added").count()).toBeGreaterThan(0);

    const first = await (await context.request.get(`${server.url}/api/v1/documents/${SLUG}/revisions`)).json();
    expect(first.map((r: { number: number }) => r.number).sort()).toEqual([1, 2, 3, 4, 5]);

    await page.goto(`${server.url}/history/${SLUG}`);
    await page.locator('form:has(input[name="revision"][value="1"]) button[type="submit"]').click();
    await page.waitForURL((url) => !url.pathname.startsWith("/history") || url.search.includes("restored"));
    expect(await revisionNumber()).toBe(6);
    const doc = await (await context.request.get(`${server.url}/api/v1/documents/${SLUG}`)).json();
    expect(doc.markdown).toContain("pgbackrest check");
    expect(doc.markdown).not.toContain("revision 2");
    await page.close();
  });

  it("merges two admins' edits of a system, and refuses the field both changed instead of overwriting it", async () => {
    const first = await context.newPage();
    const second = await context.newPage();
    for (const page of [first, second]) {
      await page.goto(`${server.url}/admin/systems/core-ledger`);
      await page.locator("html[data-hydrated]").waitFor({ state: "attached" });
    }
    await first.locator('textarea[name="description"]').fill("Ledger of record (edited in the first tab)");
    await first.getByRole("button", { name: "Save changes" }).click();
    await first.getByText("Saved: description").waitFor();

    // The second tab was opened before that save: its own description is refused, naming the stored one.
    await second.locator('textarea[name="description"]').fill("Ledger of record (edited in the second tab)");
    await second.getByRole("button", { name: "Save changes" }).click();
    await second.getByText(/Someone else saved this system/).first().waitFor();
    await expect(second.locator("main").innerText()).resolves.toContain("edited in the first tab");
    expect(await second.locator('textarea[name="description"]').inputValue()).toBe("Ledger of record (edited in the second tab)");

    // Saving again is a deliberate replacement.
    await second.getByRole("button", { name: "Save changes" }).click();
    await second.getByText("Saved: description").waitFor();
    await first.goto(`${server.url}/systems/core-ledger`);
    await expect(first.locator("main").innerText()).resolves.toContain("edited in the second tab");
    await first.close();
    await second.close();
  });

  it("finds every step in the audit log", async () => {
    const page = await context.newPage();
    await page.goto(`${server.url}/admin/audit`);
    const text = (await page.locator("main").textContent()) ?? "";
    for (const action of ["auth.login.success", "auth.login.failure", "document.create", "document.update", "document.restore", "system.update"]) {
      expect(text).toContain(action);
    }
    expect(text).toContain(SLUG);
    const csv = await context.request.get(`${server.url}/admin/audit.csv`);
    expect(csv.headers()["content-type"]).toContain("text/csv");
    expect(await csv.text()).toContain("document.restore");
    await page.close();
  });

  it("refuses a cross-site write that carries the session cookie", async () => {
    const response = await context.request.post(`${server.url}/edit/${SLUG}`, {
      headers: { origin: "https://evil.example" },
      form: { title: "Hijacked", markdown: "x", intent: "save", baseRevision: "6" },
    });
    expect(response.status()).toBe(403);
    expect(await revisionNumber()).toBe(6);
  });
});
