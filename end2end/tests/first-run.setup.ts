import { test, expect, setupCode, hydrated, ADMIN } from "./fixtures";

// The instance starts empty: first-run set-up creates the admin every spec signs in as. The
// specs depend on this project (playwright.config.ts), not on each other.
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
