import { test, expect, hydrated, checkA11y, signIn, createIntegration, moveTo, person, unique, ADMIN, SERVER } from "./fixtures";

test("QA plans two browsers by two devices, records results with the keyboard, verifies a fix, signs off, and a changed result supersedes the sign-off", async ({ page }) => {
  // The admin registers production with a credential reference (the go-live gate reads
  // them), moves the integration to Testing (planning and implementation are other specs'
  // subjects), and adds the QA user.
  await signIn(page, ADMIN.email, ADMIN.password);
  const slug = await createIntegration(page, unique("Stripe payments"), "Stripe");
  const QA = await person(page, "Quinn QA", "qa");
  await page.goto(`/integrations/${slug}/environments`);
  await hydrated(page);
  const env = page.getByRole("region", { name: "Add an environment" });
  await env.getByLabel("Name").fill("production");
  await env.getByLabel("Base URL").fill(SERVER);
  await env.getByLabel("Authentication").selectOption("bearer");
  await env.getByLabel("Path").fill("/healthz");
  await env.getByRole("button", { name: "Add environment" }).click();
  await expect(page.getByRole("heading", { name: "production", level: 2 })).toBeVisible();
  await page.goto(`/integrations/${slug}/credentials`);
  await hydrated(page);
  const cred = page.getByRole("region", { name: "Add a credential reference" });
  await cred.getByLabel("Environment").selectOption({ label: "production" });
  await cred.getByLabel("Name").fill("live secret key");
  await cred.getByLabel("Kind").selectOption("api_key");
  await cred.getByLabel("Where it lives").fill("vault://kv/payments/stripe-live#secret_key");
  await cred.getByRole("button", { name: "Add reference" }).click();
  await expect(page.getByRole("table", { name: "Credential references" })).toContainText("vault://kv/payments/stripe-live#secret_key");
  await moveTo(page, slug, "implementation");
  await moveTo(page, slug, "testing");
  await page.goto(`/integrations/${slug}`);
  await expect(page.getByRole("region", { name: /Gate to Live/ })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();

  // QA: the payments template on a two-by-two matrix.
  await signIn(page, QA.email, QA.password);
  await page.goto(`/integrations/${slug}`);
  await page.getByRole("link", { name: "Testing", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Testing", level: 1 })).toBeVisible();
  await expect(page.getByText("No cases yet.")).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Apply the template" }).click();
  const cases = page.getByRole("table", { name: "Test cases" });
  await expect(cases).toContainText("3-D Secure challenge");
  await expect(cases.getByRole("row")).toHaveCount(8);
  await page.getByText("Change the matrix…").click();
  await page.getByLabel("Firefox").check();
  await page.getByLabel("Phone").check();
  await page.getByLabel("Security").check();
  await page.getByRole("button", { name: "Save the matrix" }).click();
  await expect(page.getByText("Browsers: Chrome, Firefox. Devices: Desktop, Phone. Each compatibility case runs in all 4 configuration(s).")).toBeVisible();
  await checkA11y(page);

  await page.getByLabel("Name").fill("Release 2.4 regression");
  await page.getByLabel("Build or version").fill("2.4.0");
  await page.getByLabel("Environment").selectOption({ label: "production" });
  await page.getByRole("button", { name: "Start run" }).click();
  await expect(page.getByRole("heading", { name: "Release 2.4 regression", level: 1 })).toBeVisible();
  await expect(page.getByText("0 of 10 recorded")).toBeVisible();
  await hydrated(page);
  await checkA11y(page);

  // The keyboard: P on every row but the 3-D Secure challenge on Firefox phones, which fails.
  // Each key records the row and moves the focus to the next one.
  const rows = page.getByRole("table", { name: "Executions" }).getByRole("row");
  await expect(rows).toHaveCount(11);
  const keys = ["p", "p", "p", "p", "p", "f", "p", "p", "p", "p"];
  await rows.nth(1).focus();
  const started = Date.now();
  for (const key of keys) await page.keyboard.press(key);
  await expect(page.getByText("10 of 10 recorded (100%): 9 passed, 1 failed")).toBeVisible();
  const shown = Date.now() - started;
  // Saved: each row names its tester once the server has stored the result.
  await expect(page.getByRole("table", { name: "Executions" }).getByRole("cell", { name: /^Quinn QA, / })).toHaveCount(10);
  const saved = Date.now() - started;
  const perMinute = (ms: number) => Math.round((keys.length * 60_000) / ms);
  // The figures the closing note reports.
  console.log(`keyboard entry: ${keys.length} executions shown in ${shown} ms (${perMinute(shown)}/min), all saved in ${saved} ms (${perMinute(saved)}/min)`);
  await page.reload();
  await expect(page.getByText("10 of 10 recorded (100%): 9 passed, 1 failed")).toBeVisible();
  const failed = page.getByRole("row", { name: "payments.3ds_challenge Firefox / Phone" });
  await expect(failed.getByRole("cell", { name: "Failed", exact: true })).toBeVisible();
  await hydrated(page);

  // Filters are links; the counts per configuration show where it failed.
  await page.getByLabel("Status").selectOption("failed");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(rows).toHaveCount(2);
  await hydrated(page);

  // A defect from the failure; marked fixed, verified by a re-run, closed.
  await failed.getByText("File a defect…").click();
  await failed.getByLabel("Defect title").fill("3-D Secure frame stays blank on Firefox phones");
  await failed.getByLabel("Severity").selectOption("major");
  await failed.getByRole("button", { name: "File defect" }).click();
  const defects = page.getByRole("region", { name: "Defects from this run" });
  await expect(defects).toContainText("3-D Secure frame stays blank on Firefox phones");
  const defect = defects.getByRole("row", { name: /3-D Secure frame stays blank on Firefox phones/ });
  await defect.getByText("Update…").click();
  await defect.getByLabel("Status").selectOption("verified");
  await defect.getByRole("button", { name: /^Save defect/ }).click();
  await expect(defect.getByText("Verify a defect by re-running its execution")).toBeVisible();
  await defect.getByLabel("Status").selectOption("fixed");
  await defect.getByRole("button", { name: /^Save defect/ }).click();
  await expect(defects.getByRole("cell", { name: "Fixed", exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(rows).toHaveCount(11);
  await hydrated(page);
  await page.getByRole("row", { name: "payments.3ds_challenge Firefox / Phone" }).focus();
  await page.keyboard.press("p");
  await expect(page.getByText("10 of 10 recorded (100%): 10 passed, 0 failed")).toBeVisible();
  await page.reload();
  await hydrated(page);
  const again = page.getByRole("region", { name: "Defects from this run" }).getByRole("row", { name: /3-D Secure frame stays blank/ });
  await again.getByText("Update…").click();
  await again.getByLabel("Status").selectOption("verified");
  await again.getByRole("button", { name: /^Save defect/ }).click();
  await expect(page.getByRole("region", { name: "Defects from this run" }).getByRole("cell", { name: "Verified", exact: true })).toBeVisible();

  // The sign-off, and the gate to Live met.
  await page.getByLabel("Sign-off statement").fill("Release 2.4 passes the payments plan on Chrome and Firefox, desktop and phone.");
  await page.getByRole("button", { name: "Sign off this run" }).click();
  const signoff = page.getByRole("region", { name: "Sign-off" });
  await expect(signoff.getByText("Signed off", { exact: true })).toBeVisible();
  await expect(signoff.getByText(/SHA-256 of the results: [0-9a-f]{64}/)).toBeVisible();
  await page.goto(`/integrations/${slug}`);
  const gate = page.getByRole("region", { name: /Gate to Live/ });
  await expect(gate.getByText("Open", { exact: true })).toBeVisible();
  await expect(gate.getByText("Not met:")).toHaveCount(0);
  await expect(gate).toContainText("The latest test run signed off by QA, and not superseded");
  // The e2e server asks for one successful production check (TOLLGATE_GATE_HEALTH_SUCCESSES=1).
  await expect(gate).toContainText("The production health check succeeded enough times in a row");

  // The summary report prints and downloads.
  await page.goto(`/integrations/${slug}/testing`);
  await page.getByRole("link", { name: "Release 2.4 regression" }).click();
  await page.getByRole("link", { name: "Summary report" }).click();
  await expect(page.getByRole("heading", { name: "Test run summary: Release 2.4 regression" })).toBeVisible();
  await expect(page.getByRole("table", { name: "Configuration" })).toContainText("Firefox / Phone");
  await checkA11y(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download CSV" }).click();
  expect((await download).suggestedFilename()).toMatch(/^test-run-\d+\.csv$/);

  // One result changes: the sign-off is superseded, with why, and the gate closes.
  await page.goBack();
  await expect(page.getByRole("heading", { name: "Release 2.4 regression", level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByRole("row", { name: "payments.refund Any" }).focus();
  await page.keyboard.press("b");
  await expect(signoff.getByText("Sign-off superseded")).toBeVisible();
  await expect(signoff).toContainText("Superseded:");
  await expect(signoff).toContainText("payments.refund");
  await page.goto(`/integrations/${slug}`);
  await expect(page.getByRole("region", { name: /Gate to Live/ }).getByText("Closed", { exact: true })).toBeVisible();
});
