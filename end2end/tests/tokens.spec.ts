import { test, expect, hydrated, checkA11y, signIn, ADMIN } from "./fixtures";

// Runs after foundation.spec.ts (files run in name order, one worker): the admin exists.
test("a user creates an API token, sees it once, and revokes it", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.getByRole("link", { name: "Account" }).click();
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();
  await hydrated(page);
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  await page.getByLabel("Name").fill("release pipeline");
  await page.getByLabel("Scope").selectOption("read-write");
  await page.getByLabel("Expires in (days)").fill("30");
  // Creating a token asks for the password again: a wrong one is refused, and what was typed
  // (but the password) is kept.
  await page.getByLabel("Your password").fill("not-the-admin-password");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "No token was created" })).toContainText("That is not your password");
  await expect(page.getByText("No tokens yet.")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue("release pipeline");
  await expect(page.getByLabel("Scope")).toHaveValue("read-write");
  await page.getByLabel("Your password").fill(ADMIN.password);
  await page.getByRole("button", { name: "Create token" }).click();
  // The answer is a page of its own showing the secret, this once.
  await expect(page.getByRole("heading", { name: "Your new API token" })).toBeVisible();
  const notice = page.getByRole("status").filter({ hasText: "shown only this once" });
  await expect(notice).toBeVisible();
  const secret = (await notice.getByRole("code").textContent()) ?? "";
  expect(secret).toMatch(/^tg_[0-9a-f]{40}$/);
  await checkA11y(page);
  await page.getByRole("link", { name: "Back to your account" }).click();
  const table = page.getByRole("table", { name: "Your API tokens" });
  await expect(table).toContainText("release pipeline");
  await expect(page.getByRole("main")).not.toContainText(secret);
  const me = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).auth).toBe("token");
  await checkA11y(page);

  await page.getByText("Revoke release pipeline…").click();
  await page.getByRole("button", { name: "Revoke now" }).click();
  await expect(table.getByText("Revoked")).toBeVisible();
  const after = await page.request.get("/api/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(after.status()).toBe(401);
});

test("the API reference is served by Tollgate itself and can call the API", async ({ page }) => {
  const outside: string[] = [];
  await page.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") {
      outside.push(url.href);
      return route.abort();
    }
    return route.continue();
  });
  await signIn(page, ADMIN.email, ADMIN.password);
  await page.goto("/api/docs/");
  await expect(page.getByRole("heading", { name: /Tollgate API/ })).toBeVisible();
  // Each operation is a button that opens it.
  await expect(page.getByRole("button", { name: /GET\s*\/api\/v1\/integrations\b/ }).first()).toBeVisible();
  // Try it out with the session: the reference calls the live API.
  await page.getByRole("button", { name: /GET\s*\/api\/v1\/me\b/ }).click();
  await page.getByRole("button", { name: "Try it out" }).click();
  await page.getByRole("button", { name: "Execute" }).click();
  await expect(page.getByRole("heading", { name: "Server response" })).toBeVisible();
  const answer = page.getByRole("row").filter({ hasText: "\"auth\": \"session\"" });
  await expect(answer.getByRole("cell", { name: "200", exact: true })).toBeVisible();
  expect(outside, "no request leaves the server").toEqual([]);
});
