import { Browser, Page } from "@playwright/test";
import { test, expect, hydrated, checkA11y, signIn, cellUnder, person, unique, ADMIN } from "./fixtures";

/** A page of its own, signed in as `who`. */
async function as(browser: Browser, who: { email: string; password: string }): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, who.email, who.password);
  return page;
}

/** A new user with `role`, created by the admin in a page of its own. */
async function newPerson(browser: Browser, name: string, role: string) {
  const admin = await as(browser, ADMIN);
  const who = await person(admin, name, role);
  await admin.context().close();
  return who;
}

async function newIntegration(page: Page, name: string, provider: string, category: string) {
  await page.goto("/integrations/new");
  await hydrated(page);
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Provider").fill(provider);
  await page.getByLabel("Category").selectOption(category);
  await page.getByLabel("Business objective").fill("Stop fraudulent listings from unverified sellers.");
  await page.getByRole("button", { name: "Create integration" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await hydrated(page);
}

async function tab(page: Page, name: string) {
  await page.getByRole("navigation", { name: "Planning sections" }).getByRole("link", { name }).click();
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  await hydrated(page);
}

test("a closed gate explains what is missing", async ({ browser }) => {
  const page = await as(browser, await newPerson(browser, "Cora Coordinator", "coordinator"));
  const name = unique("Twilio Verify");
  await newIntegration(page, name, "Twilio", "messaging");
  const gate = page.getByRole("region", { name: /Gate to Implementation/ });
  await expect(gate.getByText("Closed", { exact: true })).toBeVisible();
  for (const missing of [
    "A vendor selected with a rationale",
    "At least one objective with a metric and a target",
    "The latest plan version approved",
    "At least one milestone with a due date",
  ]) {
    await expect(gate.getByRole("listitem").filter({ hasText: missing })).toContainText("Not met");
  }
  await expect(gate.getByRole("note")).toContainText("advancing needs: A vendor selected with a rationale");
  await checkA11y(page);
  // Moving is an action opened on purpose, with no move chosen.
  await gate.getByText("Move this integration…").click();
  await expect(gate.getByLabel("Advance to Implementation (gate closed)")).not.toBeChecked();
  await gate.getByLabel("Advance to Implementation (gate closed)").check();
  await gate.getByRole("button", { name: "Move" }).click();
  await expect(gate.getByRole("alert")).toContainText("The gate to Implementation is closed. Still missing:");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
  await expect(page.getByRole("region", { name: "Now" })).toContainText("Planning");
});

test("an integration page leads with its state, and every section is in reach at every width", async ({ browser }) => {
  const page = await as(browser, await newPerson(browser, "Nia Navigator", "coordinator"));
  await newIntegration(page, unique("Sift fraud scoring"), "Sift", "payments");
  const sections = page.getByRole("navigation", { name: "Integration sections" });
  const links = sections.getByRole("link");
  await expect(links).toHaveCount(13);
  await expect(sections.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
  for (const width of [1920, 1366, 390, 360]) {
    await page.setViewportSize({ width, height: 900 });
    // Every section wholly on screen: none cut off, none behind a scroll.
    for (const link of await links.all()) await expect(link, `${width} px`).toBeInViewport({ ratio: 1 });
    // The state comes first, above the gate's criteria and the move action.
    const state = page.getByRole("region", { name: "Now" });
    await expect(state).toBeInViewport();
    const stateTop = (await state.boundingBox())!.y;
    const gateTop = (await page.getByRole("region", { name: /Gate to Implementation/ }).boundingBox())!.y;
    expect(stateTop).toBeLessThan(gateTop);
  }
  const state = page.getByRole("region", { name: "Now" });
  for (const term of ["Stage", "Health", "Open incidents", "Gate to Implementation", "Next milestone", "Owner"]) {
    await expect(state.getByRole("term").filter({ hasText: term })).toBeVisible();
  }
  await expect(state).toContainText("Nia Navigator");
  await expect(state).toContainText("still needs: A vendor selected with a rationale");
  // Keyboard users reach every section in order.
  await links.first().focus();
  for (const link of (await links.all()).slice(1)) {
    await page.keyboard.press("Tab");
    await expect(link).toBeFocused();
  }
  // Moving stays an action opened on purpose, with nothing chosen.
  await page.getByText("Move this integration…").click();
  for (const radio of await page.getByRole("radio").all()) await expect(radio).not.toBeChecked();
  await checkA11y(page);
  // The whole history is a section of its own.
  await sections.getByRole("link", { name: "History" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "History" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Integration sections" }).getByRole("link", { name: "History" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("status")).toContainText("1 entry, newest first");
  await checkA11y(page);
});

test("a coordinator's Needs me lists the closed gate of their new integration and leads to it", async ({ browser }) => {
  const page = await as(browser, await newPerson(browser, "Nell Needs", "coordinator"));
  const name = unique("Smile ID verification");
  await newIntegration(page, name, "Smile ID", "identity_verification");
  // The navigation counts what waits on them, their new integration's gate among it.
  const needsLink = page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: /^Needs me [1-9]\d* waiting$/ });
  await expect(needsLink).toBeVisible();
  await needsLink.click();
  await expect(page.getByRole("heading", { level: 1, name: "Needs me" })).toBeVisible();
  const gates = page.getByRole("region", { name: /Closed gates on your integrations/ });
  const item = gates.getByRole("listitem").filter({ hasText: name });
  await expect(item).toContainText("Still needs: A vendor selected with a rationale");
  await checkA11y(page);
  await item.getByRole("link", { name: "Gate to Implementation" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(name);
});

test("a coordinator plans an integration, a stakeholder approves, and it moves to implementation", async ({ browser }) => {
  test.setTimeout(120_000);
  const coord = await as(browser, await newPerson(browser, "Cole Coordinator", "coordinator"));
  const stakeholder = await newPerson(browser, "Sam Stakeholder", "stakeholder");
  const integration = unique("Onfido identity verification");
  await newIntegration(coord, integration, "Onfido", "identity_verification");
  const slug = new URL(coord.url()).pathname.split("/")[2];
  await coord.getByRole("link", { name: "Planning", exact: true }).click();
  await expect(coord.getByRole("heading", { level: 1, name: "Needs" })).toBeVisible();
  await hydrated(coord);

  await coord.getByLabel("Problem").fill("Fraudulent vehicle listings come from sellers whose identity was never checked.");
  await coord.getByLabel("Who is affected").fill("Buyers of vehicles and property; the trust and safety team.");
  await coord.getByRole("button", { name: "Save needs assessment" }).click();
  await expect(coord.getByText("Saved.")).toBeVisible();

  await tab(coord, "Objectives");
  await coord.getByLabel("Description").fill("Cut fraudulent listings reported per month.");
  await coord.getByLabel("Metric").fill("Fraudulent listings per month");
  await coord.getByLabel("Unit").fill("count");
  await coord.getByLabel("Baseline").fill("140");
  await coord.getByLabel("Target").fill("30");
  await coord.getByLabel("Current").fill("85");
  await coord.getByRole("button", { name: "Add objective" }).click();
  const objectives = coord.getByRole("table", { name: "Objectives" });
  await expect(objectives).toContainText("Fraudulent listings per month");
  await expect(objectives).toContainText("50%");

  await tab(coord, "Vendors");
  for (const [name, provider] of [["Onfido", "Entrust"], ["Smile ID", "Smile Identity"]]) {
    const add = coord.getByRole("region", { name: "Add a candidate" });
    await add.getByLabel("Name").fill(name);
    await add.getByLabel("Provider").fill(provider);
    await add.getByRole("button", { name: "Add candidate" }).click();
    await expect(coord.getByRole("article", { name: new RegExp(name) })).toBeVisible();
  }
  const scores: Record<string, string[]> = { Onfido: ["5", "5", "4", "3"], "Smile ID": ["4", "4", "4", "4"] };
  for (const [name, values] of Object.entries(scores)) {
    const card = coord.getByRole("article", { name: new RegExp(name) });
    await card.getByText(`Score ${name}…`).click();
    for (const [i, criterion] of ["Reliability", "Security", "Ease of use", "Cost"].entries()) {
      await card.getByLabel(criterion, { exact: true }).selectOption(values[i]);
    }
    await card.getByRole("button", { name: `Save scores for ${name}` }).click();
    await expect(coord.getByRole("table", { name: /Vendor comparison/ }).getByRole("row", { name: new RegExp(name) })).toContainText(
      name === "Onfido" ? "4.40" : "4.00",
    );
  }
  const comparison = coord.getByRole("table", { name: /Vendor comparison/ });
  await expect(await cellUnder(comparison, comparison.getByRole("row", { name: /Onfido/ }), "Rank")).toHaveText("1");
  const onfido = coord.getByRole("article", { name: /Onfido/ });
  await onfido.getByText("Select Onfido…").click();
  await onfido.getByLabel("Rationale").fill("Highest weighted score; strongest document coverage for South Africa.");
  await onfido.getByRole("button", { name: "Select Onfido" }).click();
  await expect(coord.getByRole("region", { name: "Selection" })).toContainText("Onfido selected");
  await checkA11y(coord);

  await tab(coord, "Plan");
  await coord.getByLabel("Technical requirements").fill("- Server-side calls only\n- Webhooks verified by signature");
  await coord.getByLabel("Risks and mitigations").fill("- **Provider outage**: queue checks and retry");
  await coord.getByRole("button", { name: "Save plan" }).click();
  await expect(coord.getByRole("heading", { name: /Integration plan, version 1/ })).toContainText("Draft");
  await coord.getByRole("button", { name: "Submit plan for review" }).click();
  await expect(coord.getByRole("heading", { name: /Integration plan, version 1/ })).toContainText("In review");
  // The plan's Markdown renders: the risk's bold lead-in is strong text.
  await expect(coord.getByRole("strong").filter({ hasText: "Provider outage" })).toBeVisible();

  const stake = await as(browser, stakeholder);
  await stake.goto(`/integrations/${slug}/planning/plan`);
  await hydrated(stake);
  await expect(stake.getByLabel("Technical requirements")).toHaveCount(0);
  await stake.getByLabel("Comment").fill("Clear scope and a measurable objective.");
  await stake.getByRole("button", { name: "Record decision" }).click();
  await expect(stake.getByRole("heading", { name: /Integration plan, version 1/ })).toContainText("Approved");
  await checkA11y(stake);

  await coord.reload();
  await hydrated(coord);
  await tab(coord, "Milestones");
  await coord.getByRole("button", { name: "Apply template" }).click();
  await expect(coord.getByRole("img", { name: /milestones/ })).toBeVisible();
  await expect(coord.getByRole("list", { name: "Milestone list" }).getByRole("listitem")).toHaveCount(9);
  await checkA11y(coord);

  await coord.getByRole("link", { name: integration }).click();
  await hydrated(coord);
  const gate = coord.getByRole("region", { name: /Gate to Implementation/ });
  await expect(gate.getByText("Open", { exact: true })).toBeVisible();
  await gate.getByText("Move this integration…").click();
  await gate.getByLabel("Advance to Implementation").check();
  await gate.getByRole("button", { name: "Move" }).click();
  await expect(coord.getByRole("region", { name: /Gate to Testing/ })).toBeVisible();
  await expect(coord.getByRole("list", { name: "Stage moves, newest first" })).toContainText("Planning → Implementation");
});

test("a coordinator presses / to search, finds the meeting where Onfido was chosen and opens it", async ({ browser }) => {
  const page = await as(browser, await newPerson(browser, "Sia Search", "coordinator"));
  const name = unique("KYC vendor");
  await newIntegration(page, name, "Onfido", "identity_verification");
  const title = unique("Vendor decision");
  await page.goto(page.url() + "/planning/meetings");
  await hydrated(page);
  const form = page.getByRole("region", { name: "Record a meeting" });
  await form.getByLabel("Title").fill(title);
  await form.getByLabel("Date and time (UTC)").fill("2026-12-01T10:00");
  await form.getByLabel("Notes").fill("Compared Jumio and Veriff; we chose Onfido for its document coverage.");
  await form.getByRole("button", { name: "Record meeting" }).click();
  await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
  await hydrated(page);

  // From anywhere, "/" goes to the header's search box; typing in a field is left alone.
  await page.goto("/integrations");
  await hydrated(page);
  await page.keyboard.press("/");
  const box = page.getByRole("searchbox", { name: "Search every record" });
  await expect(box).toBeFocused();
  await page.keyboard.type(`chose onfido ${title.split(" ").pop()}`);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Search" })).toBeVisible();
  const meetings = page.getByRole("region", { name: /Meetings/ });
  await expect(meetings.locator("mark").first()).toBeVisible();
  await checkA11y(page);
  await meetings.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/planning\/meetings\?meeting=(\d+)#meeting-\1$/);
  await expect(page.getByRole("heading", { level: 2, name: title })).toBeVisible();
});
