import { test, expect, checkA11y, signIn, hydrated, person, unique, ADMIN, SERVER } from "./fixtures";

const NEW_PASSWORD = "sasha-second-password";

test("ending other sessions, changing the password and an admin's sign-out-everywhere each end the other browser's session", async ({ page, browser }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const PAT = await person(page, "Sasha Twobrowsers", "engineer");
  const laptop = await (await browser.newContext({ baseURL: SERVER })).newPage();
  const phone = await (await browser.newContext({ baseURL: SERVER })).newPage();
  await signIn(laptop, PAT.email, PAT.password);
  await signIn(phone, PAT.email, PAT.password);

  // The account page lists both sessions, this one marked, and signs out the other.
  await laptop.goto("/account");
  await expect(laptop.getByRole("heading", { name: "Where you are signed in" })).toBeVisible();
  const sessions = laptop.getByRole("table", { name: "Your sessions" });
  // Two sessions under the header row, this one marked.
  await expect(sessions.getByRole("row")).toHaveCount(3);
  await expect(sessions.getByRole("row", { name: /This session/ })).toHaveCount(1);
  await expect(sessions).toContainText("Chrome on Linux");
  await checkA11y(laptop);
  await laptop.getByText("Sign out the other 1 session…").click();
  await laptop.getByRole("button", { name: "Sign out other sessions" }).click();
  await expect(laptop.getByRole("status").filter({ hasText: "Every other session" })).toBeVisible();
  await expect(sessions.getByRole("row")).toHaveCount(2);
  await phone.goto("/integrations");
  await expect(phone).toHaveURL(/\/login/);

  // A password change in one browser: the other's next navigation lands on sign-in.
  await signIn(phone, PAT.email, PAT.password);
  await laptop.goto("/account");
  await laptop.getByLabel("Current password").fill(PAT.password);
  await laptop.getByLabel(/^New password/).fill(NEW_PASSWORD);
  await laptop.getByLabel("Repeat new password").fill(NEW_PASSWORD);
  await laptop.getByRole("button", { name: "Change password" }).click();
  await expect(laptop.getByText("Your password has been changed.")).toBeVisible();
  await phone.goto("/integrations");
  await expect(phone).toHaveURL(/\/login/);
  await laptop.goto("/integrations");
  await expect(laptop.getByRole("heading", { name: "Integrations" })).toBeVisible();

  // An admin signs Sasha out everywhere, behind a confirmation.
  await page.getByRole("link", { name: "Users" }).click();
  const row = page.getByRole("row").filter({ hasText: PAT.email });
  await row.getByText("Sign out everywhere…").click();
  await row.getByRole("button", { name: `Sign ${PAT.name} out everywhere` }).click();
  await expect
    .poll(async () => {
      await laptop.goto("/integrations");
      return laptop.url();
    })
    .toMatch(/\/login/);
});

test("after five wrong passwords for one account from one address, sign-in says when to try again", async ({ browser }) => {
  const page = await (await browser.newContext({ baseURL: SERVER })).newPage();
  await page.goto("/login");
  await hydrated(page);
  // An account nobody has: a guess at an unknown email counts as one at a known one.
  const guessed = `${unique("guessed").replace(" ", "-")}@e2e.example`;
  await page.getByLabel("Email").fill(guessed);
  for (let i = 0; i < 5; i++) {
    await page.getByLabel("Password").fill(`wrong-guess-${i}`);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert")).toHaveText("Email or password is incorrect.");
    // A fresh alert for the next try.
    await page.reload();
    await hydrated(page);
    await page.getByLabel("Email").fill(guessed);
  }
  await page.getByLabel("Password").fill("wrong-guess-5");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText(
    /^Too many failed sign-ins from your address\. Try again after \d\d:\d\d:\d\d UTC \(in \d+ seconds\)\.$/,
  );
});
