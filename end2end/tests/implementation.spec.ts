import { test, expect, hydrated, checkA11y, signIn, api, createIntegration, person, unique, ADMIN, SERVER } from "./fixtures";

test("an engineer configures the sandbox with a health check, and a pasted secret is refused", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const slug = await createIntegration(page, unique("Stripe payments"), "Stripe");
  const engineer = await person(page, "Erin Engineer", "engineer");
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, engineer.email, engineer.password);

  await page.goto(`/integrations/${slug}`);
  await page.getByRole("link", { name: "Environments", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Environments", level: 1 })).toBeVisible();
  await expect(page.getByText("No environments yet.")).toBeVisible();
  await hydrated(page);

  const form = page.getByRole("region", { name: "Add an environment" });
  await form.getByLabel("Name").fill("sandbox");
  await form.getByLabel("Base URL").fill(SERVER);
  await form.getByLabel("Authentication").selectOption("bearer");
  await form.getByLabel("Path").fill("/healthz");
  await form.getByLabel("Body contains").fill("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1");
  await form.getByRole("button", { name: "Add environment" }).click();
  const refusal = form.getByText("This looks like a Stripe secret key");
  await expect(refusal).toBeVisible();
  await expect(page.getByText("No environments yet.")).toBeVisible();

  await form.getByLabel("Body contains").fill("ok");
  await form.getByLabel("Every (seconds)").fill("30");
  await form.getByRole("button", { name: "Add environment" }).click();
  const card = page.getByRole("region", { name: "sandbox", exact: true });
  await expect(card).toContainText("GET /healthz → 200, body contains \"ok\", every 30 s");
  await expect(card).toContainText("Bearer token");
  // Left blank, the kind is the one the name says.
  await expect(card.getByRole("definition").filter({ hasText: /^Sandbox$/ })).toBeVisible();
  await checkA11y(page);

  // The sandbox's DSN for the Sentry SDKs, and its Python snippet; what an SDK sends with it becomes an error
  // group whose page shows the stack trace.
  const dsn = await card.getByLabel("DSN").inputValue();
  expect(dsn).toMatch(/^http:\/\/[0-9a-f]{32}@127\.0\.0\.1:\d+\/\d+$/);
  await card.getByText("Python (sentry-sdk)").click();
  await expect(card.locator("code").filter({ hasText: `dsn="${dsn}"` })).toBeVisible();
  const [, key, project] = dsn.match(/^http:\/\/([0-9a-f]+)@[^/]+\/(\d+)$/)!;
  const event = {
    level: "error", tags: { operation: "POST /v1/charges" },
    exception: { values: [{ type: "CardDeclined", value: "Card declined for ch_1",
      stacktrace: { frames: [{ function: "charge", filename: "pay.py", lineno: 42, in_app: true }] } }] },
    breadcrumbs: { values: [{ category: "http", message: "POST /v1/charges 402" }] },
  };
  const sent = await page.request.post(`/api/${project}/envelope/`, {
    headers: { "X-Sentry-Auth": `Sentry sentry_key=${key}, sentry_version=7`, "Content-Type": "application/x-sentry-envelope" },
    data: `{}\n{"type":"event"}\n${JSON.stringify(event)}\n`,
  });
  expect(sent.status(), await sent.text()).toBe(200);
  await page.goto(`/integrations/${slug}/errors`);
  await page.getByRole("link", { name: "CardDeclined" }).click();
  await expect(page.getByRole("heading", { name: /CardDeclined: Card declined for/ })).toBeVisible();
  await expect(page.getByRole("table", { name: "Stack trace, innermost frame first" })).toContainText("pay.py:42");
  await expect(page.getByText("POST /v1/charges 402")).toBeVisible();
  await checkA11y(page);

  // Credential references: the secret itself is refused, where it lives is recorded.
  await page.goto(`/integrations/${slug}/credentials`);
  await expect(page.getByRole("heading", { name: "Credential references", level: 1 })).toBeVisible();
  await hydrated(page);
  const add = page.getByRole("region", { name: "Add a credential reference" });
  await add.getByLabel("Environment").selectOption({ label: "sandbox" });
  await add.getByLabel("Name").fill("secret key");
  await add.getByLabel("Kind").selectOption("api_key");
  await add.getByLabel("Where it lives").fill("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3oP");
  await add.getByLabel("Rotate every (days)").fill("90");
  await add.getByLabel("Owner").selectOption({ label: engineer.name });
  await add.getByRole("button", { name: "Add reference" }).click();
  await expect(add.getByText("This looks like a Stripe secret key")).toBeVisible();
  await expect(page.getByText("No credential references yet.")).toBeVisible();
  await add.getByLabel("Where it lives").fill("vault://kv/payments/stripe#secret_key");
  await add.getByRole("button", { name: "Add reference" }).click();
  const table = page.getByRole("table", { name: "Credential references" });
  await expect(table).toContainText("vault://kv/payments/stripe#secret_key");
  await expect(table.getByText("OK", { exact: true })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3oP");
  await checkA11y(page);
});

test("an engineer builds the mapping, previews a sample, closes the checklists, and the gate to testing opens", async ({ page }) => {
  // The planning stage is not this file's subject: an admin moves the integration on, with a
  // written justification.
  await signIn(page, ADMIN.email, ADMIN.password);
  const slug = await createIntegration(page, unique("Stripe payments"), "Stripe");
  const engineer = await person(page, "Eli Engineer", "engineer");
  await page.goto(`/integrations/${slug}`);
  await hydrated(page);
  await page.getByText("Move this integration…").click();
  await page.getByLabel(/Advance to Implementation/).check();
  await page.getByLabel("Override justification (admins)").fill("Planning for Stripe was done before Tollgate; see the signed contract.");
  await page.getByRole("button", { name: "Move" }).click();
  const gate = page.getByRole("region", { name: /Gate to Testing/ });
  await expect(gate).toContainText("The data mapping reviewed since its last change");
  // The sandbox and its credential reference (the first test's subject) through the API: the
  // monitor checks this server's /healthz while the engineer works, which the gate also asks.
  const me = await api(page, "GET", "/api/v1/me", undefined, 200);
  const sandbox = await api(page, "POST", `/api/v1/integrations/${slug}/environments`, {
    name: "sandbox", base_url: SERVER, auth_scheme: "bearer", health_path: "/healthz", health_keyword: "ok",
  }, 201);
  await api(page, "POST", `/api/v1/integrations/${slug}/credentials`, {
    environment_id: String(sandbox.id), name: "secret key", kind: "api_key",
    reference: "vault://kv/payments/stripe#secret_key", owner_id: String(me.id), rotation_days: "90",
  }, 201);
  await page.getByRole("button", { name: "Sign out" }).click();

  await signIn(page, engineer.email, engineer.password);
  await page.goto(`/integrations/${slug}`);
  await page.getByRole("link", { name: "Data mapping" }).click();
  await expect(page.getByRole("heading", { name: "Data mapping", level: 1 })).toBeVisible();
  await expect(page.getByText("No rows yet.")).toBeVisible();
  await hydrated(page);

  const add = page.getByRole("region", { name: "Add a row" });
  const addRow = async (from: string, to: string, transform: string, arg = "") => {
    await add.getByLabel("Provider field (JSON pointer)").fill(from);
    await add.getByLabel("Platform field").fill(to);
    await add.getByLabel("Transform").selectOption(transform);
    await add.getByLabel("Map or default").fill(arg);
    await add.getByLabel(/^Required/).check();
    await add.getByRole("button", { name: "Add row" }).click();
    await expect(page.getByRole("table", { name: "Mapping rows" })).toContainText(to);
  };
  await add.getByLabel("Provider field (JSON pointer)").fill("data.object.amount");
  await add.getByLabel("Platform field").fill("payment.amount");
  await add.getByRole("button", { name: "Add row" }).click();
  await expect(add.getByText("A JSON pointer starts with /")).toBeVisible();
  await addRow("/data/object/amount", "payment.amount", "cents_to_decimal");
  await addRow("/data/object/status", "payment.status", "enum_map", "succeeded=paid, failed=failed");

  // The preview follows the typing: a value the map lacks is that row's error. (Adding a row
  // reloads the page; the preview answers typing only once it is hydrated again.)
  await hydrated(page);
  const sample = page.getByLabel("Sample payload from the provider (JSON)");
  const result = page.getByRole("status", { name: "Preview" });
  await sample.fill('{"data": {"object": {"amount": 1999, "status": "refunded"}}}');
  await expect(result).toContainText("1 row(s) with errors");
  await expect(result).toContainText('Unmapped enum value "refunded"');
  await expect(result.getByLabel("Mapped platform object")).toContainText('"amount": 19.99');
  await sample.fill('{"data": {"object": {"amount": 1999,\n "status" "succeeded"}}}');
  await expect(result).toContainText("The sample is not valid JSON: line 2, column 11");
  await sample.fill('{"data": {"object": {"amount": 1999, "status": "succeeded"}}}');
  await expect(result).toContainText("Every row mapped");
  await expect(result.getByLabel("Mapped platform object")).toContainText('"status": "paid"');
  await checkA11y(page);

  await page.getByRole("button", { name: "Mark the mapping reviewed" }).click();
  await expect(page.getByText("Reviewed", { exact: true })).toBeVisible();
  await expect(page.getByText(`by ${engineer.name} on`)).toBeVisible();

  // The checklists: the payments template, one item not applicable (with its reason), the
  // rest done.
  await page.goto(`/integrations/${slug}/checklists`);
  await expect(page.getByRole("heading", { name: "Engineering checklists", level: 1 })).toBeVisible();
  await hydrated(page);
  await page.getByRole("button", { name: "Add the template items" }).click();
  const security = page.getByRole("table", { name: "Security" });
  await expect(security).toContainText("Card data never touches SayPro servers");
  const errors = page.getByRole("table", { name: "Error handling and logging" });
  const first = errors.getByRole("row", { name: /Timeouts set on every call to the provider/ });
  await first.getByText("Edit…").click();
  await first.getByLabel("Status").selectOption("not_applicable");
  await first.getByRole("button", { name: "Save item" }).click();
  await expect(first.getByText("Say why this item does not apply")).toBeVisible();
  await first.getByLabel("Why not applicable").fill("Stripe's SDK sets the timeouts; checked in review.");
  await first.getByRole("button", { name: "Save item" }).click();
  // The status chosen before the refused save is still the one saved: a field error leaves
  // the form as the user left it (the row's status cell, not the select's options).
  const status = first.getByRole("cell", { name: /^Not applicable/ });
  await expect(status).toHaveText(/^Not applicable \(Stripe's SDK sets the timeouts/);
  const done = page.getByRole("button", { name: /^Mark done:/ });
  for (let left = await done.count(); left > 0; left--) {
    await done.first().click();
    await expect(done).toHaveCount(left - 1);
  }
  // What the server stored, read afresh.
  await page.reload();
  await expect(page.getByText(/, 0 open\./)).toHaveCount(2);
  await expect(status).toHaveText(/^Not applicable/);
  await checkA11y(page);

  await page.goto(`/integrations/${slug}`);
  await hydrated(page);
  const open = page.getByRole("region", { name: /Gate to Testing/ });
  await expect(open.getByText("Open", { exact: true })).toBeVisible();
  await expect(open.getByText("Not met:")).toHaveCount(0);
});
