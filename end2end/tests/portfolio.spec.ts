import { test, expect, hydrated, checkA11y, signIn, createIntegration, moveTo, person, unique, ADMIN } from "./fixtures";
import { readFileSync } from "node:fs";

// The portfolio holds whatever other tests made too; the expected counts come from the
// records, read through the list's own filter.
const STAGES: [string, string][] = [
  ["planning", "Planning"],
  ["implementation", "Implementation"],
  ["testing", "Testing"],
  ["live", "Live"],
  ["retired", "Retired"],
  ["on_hold", "On hold"],
];

test("a stakeholder reads the portfolio: pipeline counts, the table, an integration, the CSV, and on a phone", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const name = unique("Stripe payments");
  const slug = await createIntegration(page, name, "Stripe");
  await moveTo(page, slug, "implementation");
  await moveTo(page, slug, "testing");
  const STAKEHOLDER = await person(page, "Pat Portfolio", "stakeholder");
  // What the records say, through the list's own filter.
  const expected = new Map<string, number>();
  for (const [stage] of STAGES) {
    const res = await page.request.get(`/api/v1/integrations?stage=${stage}`);
    expect(res.status()).toBe(200);
    expected.set(stage, Number(res.headers()["x-total-count"]));
  }
  const total = [...expected.values()].reduce((a, b) => a + b, 0);
  expect(total).toBeGreaterThan(0);
  await page.getByRole("button", { name: "Sign out" }).click();

  await signIn(page, STAKEHOLDER.email, STAKEHOLDER.password);
  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByRole("heading", { name: "Portfolio", level: 1 })).toBeVisible();
  await hydrated(page);
  const pipeline = page.getByRole("region", { name: "Pipeline" });
  for (const [stage, label] of STAGES) {
    await expect(pipeline.getByRole("listitem").getByRole("link", { name: `${expected.get(stage)} ${label}`, exact: true })).toBeVisible();
  }
  await expect(page.getByRole("img", { name: `Integrations by stage (${total} in all)` })).toBeVisible();
  await expect(page.getByText(`${total} integration${total === 1 ? "" : "s"}`, { exact: true })).toBeVisible();
  const table = page.getByRole("table", { name: "Every integration with its gate, health and next milestone" });
  await expect(table.getByRole("link", { name })).toBeVisible();
  await expect(page.getByRole("region", { name: "Key figures" })).toContainText("Median time in each stage");
  await expect(page.getByRole("region", { name: "Recent activity" }).getByRole("listitem").filter({ hasText: name }).first()).toBeVisible();
  await checkA11y(page);

  // The report downloads as CSV with one line per integration.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("portfolio.csv");
  const lines = readFileSync(await download.path(), "utf8").trim().split("\r\n");
  expect(lines[0]).toBe("integration,slug,provider,owner,priority,stage,gate,health,uptime_30d,open_incidents,next_milestone,overdue");
  expect(lines.length).toBe(total + 1);
  const stripe = lines.find((l) => l.startsWith(`${name},${slug},`));
  expect(stripe, lines.join("\n")).toBeTruthy();

  // Sorting by name is a link that keeps to the dashboard; the integration opens from the table.
  await table.getByRole("link", { name: "Integration" }).click();
  await expect(page).toHaveURL(/\/\?sort=name&dir=asc$/);
  await expect(table.getByRole("columnheader", { name: /Integration/ })).toHaveAttribute("aria-sort", "ascending");
  await hydrated(page);
  // The sorted view saved under a name is a link that reproduces it.
  const views = page.getByRole("region", { name: "Saved views" });
  await expect(views).toContainText("No saved view yet.");
  await views.getByLabel("Save this view as").fill("By name");
  await views.getByRole("button", { name: "Save view" }).click();
  await expect(views.getByRole("link", { name: "By name" })).toHaveAttribute("href", "/?sort=name&dir=asc");
  await table.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();

  // The integration's overview: every part on its page, with charts, then its status report.
  await expect(page.getByRole("heading", { name: "Overview", level: 2 })).toBeVisible();
  for (const part of ["Objectives", "Milestones", "QA", "Health and SLO", "Open incidents", "Open defects", "Credentials", "Spec changes"]) {
    await expect(page.getByRole("region", { name: part, exact: true })).toBeVisible();
  }
  const overview = await (await page.request.get(`/api/v1/integrations/${slug}/overview`)).json();
  const milestones = page.getByRole("region", { name: "Milestones", exact: true });
  if (overview.milestones.length > 0) {
    await expect(milestones.getByRole("img", { name: `${name} milestone burn-up` })).toBeVisible();
  }
  await expect(milestones.getByRole("row")).toHaveCount(overview.milestones.length === 0 ? 0 : overview.milestones.length + 1);
  await hydrated(page);
  await checkA11y(page);
  await page.getByRole("link", { name: "Status report" }).click();
  await expect(page.getByRole("heading", { name: `Status report: ${name}`, level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Summary" })).toContainText("Stage: ");
  await checkA11y(page);
  const [report] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download CSV" }).click(),
  ]);
  expect(report.suggestedFilename()).toBe(`${slug}-status.csv`);
  const rows = readFileSync(await report.path(), "utf8").trim().split("\r\n");
  expect(rows).toContain("section,Milestone,Stage,Due,Status,Done on");
  expect(rows.filter((l) => l.startsWith("Milestones,")).length).toBe(overview.milestones.length);
  expect(rows.filter((l) => l.startsWith("Credentials,")).length).toBe(overview.credentials.length);

  // The post-implementation review: a stakeholder reads the draft written from the records.
  await page.goto(`/integrations/${slug}/review`);
  await expect(page.getByRole("heading", { name: `Post-implementation review: ${name}`, level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Review" })).toContainText("## Objectives against targets");
  await expect(page.getByRole("button", { name: "Save review" })).toHaveCount(0);
  await checkA11y(page);

  // A stage's count opens the list filtered by it.
  await page.goto("/");
  await pipeline.getByRole("link", { name: `${expected.get("testing")} Testing`, exact: true }).click();
  await expect(page).toHaveURL(/\/integrations\?stage=testing$/);

  // On a phone the page reads without sideways scrolling; the table scrolls in its own box.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto("/");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Portfolio", level: 1 })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await checkA11y(page);
});
