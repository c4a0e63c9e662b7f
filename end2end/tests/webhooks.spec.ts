import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test, expect, hydrated, checkA11y, signIn, ADMIN, person, unique } from "./fixtures";

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

test("a stakeholder chooses what they are told", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  const who = await person(page, "Sam Stakeholder", "stakeholder");
  await page.context().clearCookies();
  await signIn(page, who.email, who.password);
  await page.getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("heading", { name: "What you are told" })).toBeVisible();
  await hydrated(page);
  await checkA11y(page);
  const form = page.getByRole("group", { name: "In Tollgate" });
  const incidents = form.getByLabel("An incident was opened");
  await expect(incidents).toBeChecked();
  await incidents.uncheck();
  await page.getByRole("button", { name: "Save choices" }).click();
  await page.reload();
  await expect(page.getByRole("group", { name: "In Tollgate" }).getByLabel("An incident was opened")).not.toBeChecked();
  await expect(page.getByRole("group", { name: "In Tollgate" }).getByLabel("An incident was resolved")).toBeChecked();
});
