import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect, hydrated, checkA11y, signIn, ADMIN, person, unique, createIntegration, moveTo } from "./fixtures";

test("a coordinator adds a webhook endpoint, sends a test event and sees the attempt in the log", async ({ page, browser }) => {
  // The subscriber: a local server keeping what it gets.
  const got: { id: string; type: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      got.push({ id: String(req.headers["webhook-id"]), type: JSON.parse(body).type });
      res.writeHead(204);
      res.end();
    });
  });
  await new Promise<void>((ready) => receiver.listen(0, "127.0.0.1", ready));
  const port = (receiver.address() as AddressInfo).port;
  try {
    await signIn(page, ADMIN.email, ADMIN.password);
    const who = await person(page, "Casey Coordinator", "coordinator");
    const context = await browser.newContext();
    const coord = await context.newPage();
    await signIn(coord, who.email, who.password);
    await coord.getByRole("link", { name: "Webhooks" }).click();
    await expect(coord.getByRole("heading", { level: 1, name: "Webhooks" })).toBeVisible();
    await hydrated(coord);
    await checkA11y(coord);

    const description = unique("Pager bridge");
    await coord.getByLabel("URL").fill(`http://127.0.0.1:${port}/hooks`);
    await coord.getByLabel("Description").fill(description);
    await coord.getByLabel("An incident was opened (incident.opened)").check();
    await coord.getByRole("button", { name: "Add endpoint" }).click();
    // The answer is a page of its own showing the signing secret, this once.
    await expect(coord.getByRole("heading", { name: "Your webhook signing secret" })).toBeVisible();
    const notice = coord.getByRole("status").filter({ hasText: "shown only this once" });
    expect((await notice.getByRole("code").textContent()) ?? "").toMatch(/^whsec_/);
    await checkA11y(coord);
    await coord.getByRole("link", { name: "Go to the endpoint" }).click();
    await expect(coord.getByText(description)).toBeVisible();
    await expect(coord.getByText("No attempts yet.")).toBeVisible();
    await hydrated(coord);

    await coord.getByRole("button", { name: "Send a test event" }).click();
    await expect(coord.getByRole("status").filter({ hasText: "on its way" })).toBeVisible();
    await expect.poll(() => got.length).toBe(1);
    expect(got[0].type).toBe("test");
    const log = coord.getByRole("table", { name: "Delivery attempts, newest first" });
    await expect
      .poll(async () => {
        await coord.reload();
        return (await log.count()) ? await log.textContent() : "";
      })
      .toContain(got[0].id);
    await expect(log).toContainText("204");
    await expect(log.getByText("Delivered")).toBeVisible();
    await checkA11y(coord);
    await context.close();
  } finally {
    receiver.close();
  }
});

test("a stakeholder follows an integration, previews the weekly digest and chooses what they are told", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const who = await person(page, "Sam Stakeholder", "stakeholder");
  const slug = await createIntegration(page, unique("Digest pay"), "Stripe");
  await moveTo(page, slug, "implementation");
  await page.context().clearCookies();
  await signIn(page, who.email, who.password);

  // Nothing followed yet: the digest says how to start.
  await page.goto("/digest");
  await expect(page.getByText("You follow no integrations yet.")).toBeVisible();
  await page.goto(`/integrations/${slug}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Follow", exact: true }).click();
  await expect(page.getByRole("button", { name: "Unfollow" })).toBeVisible();
  await expect(page.getByText("You follow it: its week is in your Monday digest.")).toBeVisible();
  await page.goto("/digest");
  const card = page.getByRole("region", { name: /Digest pay/ });
  await expect(card).toContainText("Planning → Implementation");
  await expect(card.getByText("Gates passed")).toBeVisible();
  await checkA11y(page);

  // Preferences: a table, one row per kind of event, one column per channel.
  await page.getByRole("link", { name: "notification choices" }).click();
  await expect(page.getByRole("heading", { name: "What you are told" })).toBeVisible();
  await hydrated(page);
  await checkA11y(page);
  const incidents = page.getByRole("checkbox", { name: "In Tollgate: An incident was opened" });
  await expect(incidents).toBeChecked();
  await expect(page.getByRole("checkbox", { name: "In Tollgate: The weekly digest of the integrations you follow" })).toBeChecked();
  await incidents.uncheck();
  await page.getByRole("button", { name: "Save choices" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved." })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("checkbox", { name: "In Tollgate: An incident was opened" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "In Tollgate: An incident was resolved" })).toBeChecked();
});
