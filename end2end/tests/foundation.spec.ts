import { test, expect, hydrated, checkA11y, signIn, unique, ADMIN } from "./fixtures";

// The admin exists (first-run.setup.ts); everything else each test makes itself.
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

test("create an integration, find it by search, open it and see its history", async ({ page }) => {
  const name = unique("Stripe payments");
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "New integration" }).click();
  await expect(page.getByRole("heading", { name: "New integration" })).toBeVisible();
  await hydrated(page);
  // Submitting with a missing provider shows the message next to the field.
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Category").selectOption("payments");
  await page.getByLabel("Business objective").fill("Take card payments for featured listings.");
  await page.getByLabel("Provider").fill(" ");
  await page.getByRole("button", { name: "Create integration" }).click();
  await expect(page.getByText("Enter the provider.")).toBeVisible();
  await page.getByLabel("Provider").fill("Stripe");
  await page.getByLabel("Tags").fill("cards, checkout");
  await page.getByRole("button", { name: "Create integration" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();

  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Integrations" }).click();
  await expect(page.getByRole("heading", { name: "Integrations" })).toBeVisible();
  // Case does not matter; the suffix only this test's integration has.
  await page.getByLabel("Search", { exact: true }).fill(name.toUpperCase());
  await page.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("1 integration")).toBeVisible();
  await checkA11y(page);
  await page.getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await hydrated(page);
  const history = page.getByRole("list", { name: "History, newest first" });
  await expect(history.getByText("create")).toBeVisible();
  await expect(history.getByText(ADMIN.name)).toBeVisible();
  await checkA11y(page);
});
