import { test, expect, hydrated, checkA11y, signIn, createIntegration, person, unique, ADMIN, SIMULATOR } from "./fixtures";

// The e2e server also serves the provider simulator (TOLLGATE_DEMO_SIMULATOR) and goes down
// after one failed check (TOLLGATE_DOWN_AFTER=1).

test("a stakeholder sees an incident open when the provider goes down and resolve when it comes back, with the bell counting it", async ({ page, request }) => {
  test.setTimeout(90_000);
  const mode = async (m: string) => {
    const res = await request.put(`${SIMULATOR}/mode`, { data: m });
    expect(res.status()).toBe(200);
  };
  await mode("failing");

  await signIn(page, ADMIN.email, ADMIN.password);
  const name = unique("Stripe payments");
  const slug = await createIntegration(page, name, "Stripe");
  const stakeholder = await person(page, "Sam Stakeholder", "stakeholder");
  await page.goto(`/integrations/${slug}/environments`);
  await hydrated(page);
  const env = page.getByRole("region", { name: "Add an environment" });
  await env.getByLabel("Name").fill("partner-api");
  await env.getByLabel("Base URL").fill(SIMULATOR);
  await env.getByLabel("Authentication").selectOption("none");
  await env.getByLabel("Path").fill("/health");
  await env.getByLabel("Every (seconds)").fill("10");
  await env.getByRole("button", { name: "Add environment" }).click();
  await expect(page.getByRole("heading", { name: "partner-api", level: 2 })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();

  await signIn(page, stakeholder.email, stakeholder.password);
  await page.goto(`/integrations/${slug}`);
  await page.getByRole("link", { name: "Health", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Health", level: 1 })).toBeVisible();
  const incidents = page.getByRole("list", { name: "Incidents", exact: true });
  await expect(async () => {
    await page.reload();
    await expect(incidents.getByRole("link", { name: "partner-api is down" })).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const heading = incidents.getByRole("heading", { name: /partner-api is down/ });
  await expect(heading).toContainText("Minor");
  await expect(heading).toContainText("Open");
  await expect(incidents).toContainText("Answered 503, expected 200.");
  // The bell: the environment went down and an incident opened.
  await expect(page.getByRole("link", { name: /Notifications/ }).getByLabel("2 unread")).toBeVisible();
  await expect(page.getByRole("button", { name: "Open incident" })).toHaveCount(0);
  await hydrated(page);
  await checkA11y(page);

  await mode("healthy");
  await expect(async () => {
    await page.reload();
    await expect(heading).toContainText("Resolved", { timeout: 1_000 });
  }).toPass({ timeout: 25_000 });
  await expect(incidents).toContainText("Resolved by the monitor: partner-api answered again");
  await expect(page.getByRole("link", { name: /Notifications/ }).getByLabel("4 unread")).toBeVisible();

  await page.getByRole("link", { name: /Notifications/ }).click();
  await expect(page.getByRole("link", { name: `${name}: incident resolved, partner-api is back up` })).toBeVisible();
  await hydrated(page);
  await checkA11y(page);
});

test("an engineer adds a heartbeat on the health page, and a failed run reported to its URL opens an incident", async ({ page, request }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const name = unique("Payout exports");
  const slug = await createIntegration(page, name, "Adyen");
  await page.goto(`/integrations/${slug}/environments`);
  await hydrated(page);
  const env = page.getByRole("region", { name: "Add an environment" });
  await env.getByLabel("Name").fill("production");
  await env.getByLabel("Base URL").fill("https://api.adyen.example");
  await env.getByLabel("Authentication").selectOption("none");
  await env.getByRole("button", { name: "Add environment" }).click();
  await expect(page.getByRole("heading", { name: "production", level: 2 })).toBeVisible();

  await page.goto(`/integrations/${slug}/health`);
  await hydrated(page);
  const card = page.getByRole("region", { name: "Heartbeats" });
  await expect(card).toContainText("No heartbeat yet.");
  // Both an interval and a cron expression: the field says why.
  await card.getByLabel("Job").fill("Nightly payout export");
  await card.getByLabel("Environment").selectOption({ label: "production" });
  await card.getByLabel("Every (minutes)").fill("60");
  await card.getByLabel("Cron expression (UTC)").fill("0 3 * * *");
  await card.getByRole("button", { name: "Add heartbeat" }).click();
  await expect(card.getByText("Give an interval or a cron expression, not both.")).toBeVisible();
  await card.getByLabel("Every (minutes)").fill("");
  await card.getByRole("button", { name: "Add heartbeat" }).click();
  const table = card.getByRole("table", { name: "Heartbeat monitors" });
  const row = table.getByRole("row", { name: /Nightly payout export/ });
  await expect(row).toContainText("cron 0 3 * * * (UTC), grace 5 min");
  await expect(row).toContainText("Waiting for the first run");
  await checkA11y(page);

  const url = await row.getByLabel("Ping URL of Nightly payout export").inputValue();
  expect(url).toMatch(/\/api\/v1\/heartbeats\/[0-9a-f]{32}$/);
  const failed = await request.post(`${url}/fail`);
  expect(failed.status()).toBe(200);
  await page.reload();
  await expect(row).toContainText("Down");
  await expect(row).toContainText("Failed");
  await expect(page.getByRole("list", { name: "Incidents", exact: true }).getByRole("link", { name: "Nightly payout export (production) is not running" })).toBeVisible();
});
