import { test, expect, hydrated, checkA11y, signIn, createIntegration, cellUnder, unique, ADMIN } from "./fixtures";

// Dates are UTC days, as the server keeps them.
const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
const PCI = "Quarterly PCI DSS scope review";

test("a coordinator schedules an audit, a run finds something, it is remediated, and an overdue audit shows on the dashboard", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const name = unique("Stripe payments");
  const slug = await createIntegration(page, name, "Stripe");
  await page.goto(`/integrations/${slug}`);
  await page.getByRole("link", { name: "Audits", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Audits", level: 1 })).toBeVisible();
  await expect(page.getByText("No audits yet.")).toBeVisible();
  await hydrated(page);

  // A refused definition names the field and keeps what was typed.
  const define = page.getByRole("region", { name: "Define an audit" });
  await define.getByLabel("Title").fill(PCI);
  await define.getByLabel("What it checks").fill("No card data is stored or logged.");
  await define.getByLabel("Every (days)").fill("0");
  await define.getByLabel("First due").fill(day(5));
  await define.getByRole("button", { name: "Define audit" }).click();
  await expect(define.getByText("Enter a whole number from 1 to 366.")).toBeVisible();
  await expect(define.getByLabel("Every (days)")).toHaveAttribute("aria-invalid", "true");
  await expect(define.getByLabel("Title")).toHaveValue(PCI);
  await define.getByLabel("Every (days)").fill("91");
  await define.getByRole("button", { name: "Define audit" }).click();

  const schedule = page.getByRole("table", { name: "Audits, soonest due first" });
  const row = schedule.getByRole("row", { name: new RegExp(PCI) });
  await expect(row).toContainText(day(5));
  await expect(row).toContainText("Due soon");
  await expect(row).toContainText("Never");

  // A run moves the next due day to its interval after the run.
  const card = page.getByRole("region", { name: PCI });
  await card.getByText("Record a run…").click();
  await card.getByLabel("Notes").fill("Reviewed checkout, logs and payment tables.");
  await card.getByRole("button", { name: "Record run" }).click();
  const runs = card.getByRole("list", { name: `Runs of ${PCI}` });
  await expect(runs).toContainText(`${day(0)} by ${ADMIN.name}. Passed: nothing found.`);
  await expect(row).toContainText(day(91));
  await expect(row).toContainText("Scheduled");

  // What it found, and its remediation until resolved.
  await runs.getByText("Add a finding…").click();
  await runs.getByLabel("What was found").fill("Card expiry in a debug log");
  await runs.getByLabel("Severity").selectOption("high");
  await runs.getByLabel("Remediation *", { exact: true }).fill("Drop the payment method from the debug log.");
  await runs.getByLabel("Remediation due").fill(day(7));
  await runs.getByRole("button", { name: "Add finding" }).click();
  await expect(runs).toContainText("1 finding(s), 1 open.");
  await expect(runs).toContainText(`High severity: Card expiry in a debug log`);
  await expect(runs).toContainText(`Open; remediation due ${day(7)}.`);
  const openFindings = await cellUnder(schedule, row, "Open findings");
  await expect(openFindings).toHaveText("1");
  await runs.getByText("Resolve…").click();
  await runs.getByLabel("How it was resolved").fill("Removed from the logger.");
  await runs.getByRole("button", { name: "Resolve: Card expiry in a debug log" }).click();
  await expect(runs).toContainText(`Resolved on ${day(0)} by ${ADMIN.name}: Removed from the logger.`);
  await expect(runs).toContainText("1 finding(s), all resolved.");
  await expect(openFindings).toHaveText("0");
  await checkA11y(page);

  // An audit defined over REST (a session write carries this site's Origin), already overdue,
  // is on the dashboard's "coming up".
  const res = await page.request.post(`/api/v1/integrations/${slug}/audits`, {
    headers: { Origin: new URL(page.url()).origin },
    data: { title: "Log retention", checks: "Logs older than 30 days are purged.", interval_days: "30", first_due: day(-2) },
  });
  expect(res.status(), await res.text()).toBe(201);
  expect((await res.json()).status).toBe("overdue");
  await page.goto("/");
  const coming = page.getByRole("region", { name: /Coming up/ });
  const due = coming.getByRole("listitem").filter({ hasText: "Log retention" });
  await expect(due).toContainText(day(-2));
  await expect(due).toContainText("Overdue");
  await due.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name: "Audits", level: 1 })).toBeVisible();
  await hydrated(page);

  // Deleting takes a second step, and takes the audit off the schedule.
  const logs = page.getByRole("region", { name: "Log retention" });
  await logs.getByText("Delete…").click();
  await logs.getByRole("button", { name: "Delete Log retention permanently" }).click();
  await expect(schedule.getByRole("row", { name: /Log retention/ })).toHaveCount(0);
  await expect(schedule.getByRole("row", { name: new RegExp(PCI) })).toBeVisible();
});
