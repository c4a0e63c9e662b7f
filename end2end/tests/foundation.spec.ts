import { test, expect, setupCode, hydrated, checkA11y, ADMIN } from "./fixtures";

// One story, in order: the instance starts empty, so set-up must come first.
test.describe.configure({ mode: "serial" });

test("first-run set-up creates the admin with the code from the server log", async ({ page }) => {
  await page.goto("/integrations");
  await expect(page).toHaveURL(/\/setup$/);
  await hydrated(page);
  await page.getByLabel("Set-up code").fill("WRONG-WRONG-WRONG-WRONG");
  await page.getByLabel("Your name").fill(ADMIN.name);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByText("That set-up code is not right")).toBeVisible();
  await page.getByLabel("Set-up code").fill(setupCode());
  await page.getByRole("button", { name: "Create admin and sign in" }).click();
  await expect(page.getByRole("heading", { name: "Integrations" })).toBeVisible();
  await expect(page.getByText("No integrations yet.")).toBeVisible();
});

test("sign-in shows one generic error, then signs in; the page passes axe", async ({ page }) => {
  await page.goto("/login");
  await hydrated(page);
  await checkA11y(page);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Integrations" })).toBeVisible();
});

async function signIn(page: import("@playwright/test").Page) {
  await page.goto("/login");
  await hydrated(page);
  await page.getByLabel("Email").fill(ADMIN.email);
  await page.getByLabel("Password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Integrations" })).toBeVisible();
}

test("create an integration, find it by search, open it and see its history", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "New integration" }).click();
  await expect(page.getByRole("heading", { name: "New integration" })).toBeVisible();
  await hydrated(page);
  // Submitting with a missing provider shows the message next to the field.
  await page.getByLabel("Name").fill("Stripe payments");
  await page.getByLabel("Category").selectOption("payments");
  await page.getByLabel("Business objective").fill("Take card payments for featured listings.");
  await page.getByLabel("Provider").fill(" ");
  await page.getByRole("button", { name: "Create integration" }).click();
  await expect(page.getByText("Enter the provider.")).toBeVisible();
  await page.getByLabel("Provider").fill("Stripe");
  await page.getByLabel("Tags").fill("cards, checkout");
  await page.getByRole("button", { name: "Create integration" }).click();
  await expect(page.getByRole("heading", { name: "Stripe payments" })).toBeVisible();

  await page.getByRole("link", { name: "Integrations" }).first().click();
  await expect(page.getByRole("heading", { name: "Integrations" })).toBeVisible();
  await page.getByLabel("Search").fill("STRIPE");
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("1 integration")).toBeVisible();
  await checkA11y(page);
  await page.getByRole("link", { name: "Stripe payments" }).click();
  await expect(page.getByRole("heading", { name: "Stripe payments" })).toBeVisible();
  await hydrated(page);
  const history = page.getByRole("list", { name: "History, newest first" });
  await expect(history.getByText("create")).toBeVisible();
  await expect(history.getByText(ADMIN.name)).toBeVisible();
  await checkA11y(page);
});
