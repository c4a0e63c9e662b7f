import { test as base, expect, Locator, Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { readFileSync } from "node:fs";

/** Every test fails on any console error or uncaught page error; a script the
 * Content-Security-Policy refuses is one ("Refused to execute inline script ..."). */
export const test = base.extend<{ errors: string[] }>({
  errors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("console", (msg) => {
        // Chromium logs every 4xx answer as a console error; a refused sign-in (401) or a
        // form with field errors (422) is expected behaviour, not a page failure. 5xx still fail.
        const expected4xx = /Failed to load resource: the server responded with a status of 4\d\d/;
        if (msg.type() === "error" && !expected4xx.test(msg.text())) errors.push(`console: ${msg.text()}`);
      });
      page.on("pageerror", (err) => errors.push(`page: ${err.message} (at ${page.url()})`));
      await use(errors);
      expect(errors, "browser errors").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

/** The set-up code the server printed to its log (scripts/e2e.sh saves the log). */
export function setupCode(): string {
  const log = readFileSync(process.env.TOLLGATE_LOG_FILE ?? "e2e-server.log", "utf8");
  const match = log.match(/set-up code ([A-Z0-9-]{23})/);
  if (!match) throw new Error("no set-up code in the server log");
  return match[1];
}

/** Waits until the WebAssembly has loaded: the islands hydrated and the forms taken over. */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => (window as any).__tollgate_hydrated === true, null, { timeout: 30_000 });
}

/** No serious or critical accessibility violations on the current page. */
export async function checkA11y(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

// The server under test, which also stands in for a provider's health endpoint (its /healthz
// answers {"status": "ok"}); the e2e server allows probes to 127.0.0.1.
export const SERVER = process.env.TOLLGATE_URL ?? "http://127.0.0.1:3100";

// The provider simulator the e2e server also serves (scripts/e2e.sh sets TOLLGATE_DEMO_SIMULATOR).
export const SIMULATOR = process.env.TOLLGATE_SIMULATOR_URL ?? "http://127.0.0.1:3199";

export const ADMIN = { email: "admin@e2e.example", name: "E2E Admin", password: "e2e-admin-password" };

/** Signs `page` in as `email` with `password` and waits for the integrations list. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Where each role lands: Needs me, the portfolio for stakeholders, the list for admins.
  await expect(page.getByRole("heading", { level: 1, name: /^(Needs me|Portfolio|Integrations)$/ })).toBeVisible();
}

/** Creates a user through the admin's server function, from a page signed in as an admin. */
export async function createUser(admin: Page, name: string, email: string, role: string, password: string) {
  // A write carries this site's Origin, as a form on the page would; without it the server
  // refuses it as cross-site.
  const res = await admin.request.post("/api/create_user", {
    headers: { Origin: new URL(admin.url()).origin },
    form: { name, email, role, password },
  });
  expect(res.status(), await res.text()).toBe(200);
}

/** `base` with a suffix no other test uses: each test creates what it needs, so no test
 * depends on another's records or on the order they run in. */
export function unique(base: string): string {
  return `${base} ${Date.now().toString(36)}${Math.floor(Math.random() * 46_656).toString(36)}`;
}

/** A REST call as the user signed in on `page` (its session), with this site's Origin as a
 * page's own write carries; expects exactly `status` and returns the JSON body. */
export async function api(page: Page, method: string, path: string, data: unknown, status: number) {
  const res = await page.request.fetch(path, { method, headers: { Origin: new URL(page.url()).origin }, data });
  expect(res.status(), await res.text()).toBe(status);
  return res.json();
}

/** Creates an integration in Planning through the REST API and returns its slug. */
export async function createIntegration(page: Page, name: string, provider: string, category = "payments"): Promise<string> {
  const me = await page.request.get("/api/v1/me");
  expect(me.status()).toBe(200);
  const created = await api(page, "POST", "/api/v1/integrations", {
    owner_id: String((await me.json()).id),
    name,
    provider,
    category,
    business_objective: "Take card payments for featured listings.",
    priority: "high",
  }, 201);
  return created.slug;
}

/** Moves integration `slug` to `stage` as an admin, overriding its gate: for a test whose
 * subject is a later stage. */
export async function moveTo(page: Page, slug: string, stage: string) {
  await api(page, "POST", `/api/v1/integrations/${slug}/transitions`, {
    to: stage,
    reason: "",
    override_justification: "The earlier stages are not this test's subject; see its other specs.",
  }, 201);
}

/** A new user with `role` and a unique email, created by the admin signed in on `admin`. */
export async function person(admin: Page, name: string, role: string) {
  const who = { name, email: `${unique(role).replace(" ", "-")}@e2e.example`, password: `${role}-e2e-password` };
  await createUser(admin, who.name, who.email, role, who.password);
  return who;
}

/** The cell of `row` under the column headed `header` in `table`: a cell found by its column's
 * name, as a screen reader announces it, rather than by a position written into the test. */
export async function cellUnder(table: Locator, row: Locator, header: string): Promise<Locator> {
  const headers = (await table.getByRole("columnheader").allTextContents()).map((h) => h.trim());
  const i = headers.indexOf(header);
  expect(i, `a column "${header}" among ${headers.join(", ")}`).toBeGreaterThanOrEqual(0);
  return row.getByRole("rowheader").or(row.getByRole("cell")).nth(i);
}
