import { test, expect, hydrated, checkA11y, signIn, createUser, ADMIN } from "./fixtures";

// Runs after foundation.spec.ts (files run in name order, one worker): the admin and the
// "Stripe payments" integration exist.
const ENGINEER = { name: "Erin Engineer", email: "erin@e2e.example", password: "erin-engineer-password" };

test("an engineer configures the sandbox with a health check, and a pasted secret is refused", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await createUser(page, ENGINEER.name, ENGINEER.email, "engineer", ENGINEER.password);
  await page.getByRole("button", { name: "Sign out" }).click();
  await signIn(page, ENGINEER.email, ENGINEER.password);

  await page.goto("/integrations/stripe-payments");
  await page.getByRole("link", { name: "Environments" }).click();
  await expect(page.getByRole("heading", { name: "Environments", level: 1 })).toBeVisible();
  await expect(page.getByText("No environments yet.")).toBeVisible();
  await hydrated(page);

  const form = page.locator("section").filter({ has: page.getByRole("heading", { name: "Add an environment" }) });
  await form.getByLabel("Name").fill("sandbox");
  await form.getByLabel("Base URL").fill("https://api.stripe.com");
  await form.getByLabel("Authentication").selectOption("bearer");
  await form.getByLabel("Path").fill("/v1/balance");
  await form.getByLabel("Body contains").fill("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1");
  await form.getByRole("button", { name: "Add environment" }).click();
  const refusal = form.getByText("This looks like a Stripe secret key");
  await expect(refusal).toBeVisible();
  await expect(page.getByText("No environments yet.")).toBeVisible();

  await form.getByLabel("Body contains").fill("available");
  await form.getByLabel("Every (seconds)").fill("30");
  await form.getByRole("button", { name: "Add environment" }).click();
  const card = page.locator("section").filter({ has: page.getByRole("heading", { name: "sandbox", level: 2 }) });
  await expect(card).toContainText("GET /v1/balance → 200, body contains \"available\", every 30 s");
  await expect(card).toContainText("Bearer token");
  await checkA11y(page);

  // Credential references: the secret itself is refused, where it lives is recorded.
  await page.goto("/integrations/stripe-payments/credentials");
  await expect(page.getByRole("heading", { name: "Credential references", level: 1 })).toBeVisible();
  await hydrated(page);
  const add = page.locator("section").filter({ has: page.getByRole("heading", { name: "Add a credential reference" }) });
  await add.getByLabel("Environment").selectOption({ label: "sandbox" });
  await add.getByLabel("Name").fill("secret key");
  await add.getByLabel("Kind").selectOption("api_key");
  await add.getByLabel("Where it lives").fill("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3oP");
  await add.getByLabel("Rotate every (days)").fill("90");
  await add.getByRole("button", { name: "Add reference" }).click();
  await expect(add.getByText("This looks like a Stripe secret key")).toBeVisible();
  await expect(page.getByText("No credential references yet.")).toBeVisible();
  await add.getByLabel("Where it lives").fill("vault://kv/payments/stripe#secret_key");
  await add.getByRole("button", { name: "Add reference" }).click();
  const table = page.getByRole("table", { name: "Credential references" });
  await expect(table).toContainText("vault://kv/payments/stripe#secret_key");
  await expect(table.getByText("OK", { exact: true })).toBeVisible();
  await expect(page.locator("body")).not.toContainText("sk_live_51HxQmZKx9aB7cD3eF5gH7iJ9kL1mN3oP");
  await checkA11y(page);
});
