import { test, expect, hydrated, checkA11y, signIn, unique, ADMIN } from "./fixtures";

const money = (amount: string) => `
components:
  schemas:
    Money: {type: object, properties: {amount: {type: ${amount}}, currency: {type: string}}}
`;
const PAYOUTS = `  /payouts:
    get: {operationId: listPayouts, summary: List payouts, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Money'}}}}}}
  /refunds:
    post: {operationId: createRefund, summary: Refund an order, tags: [refunds], responses: {'201': {description: made, content: {application/json: {schema: {$ref: '#/components/schemas/Money'}}}}}}
`;
const V1 = `openapi: 3.0.3
info: {title: Orders, version: '2026-01'}
paths:
  /orders/{id}:
    get: {operationId: getOrder, summary: Read an order, tags: [orders], parameters: [{name: id, in: path, required: true, schema: {type: string}}], responses: {'200': {description: ok}}}
${PAYOUTS}${money("integer")}`;
// The order read is gone, and the amount both remaining operations answer is now a string.
const V2 = `openapi: 3.0.3
info: {title: Orders, version: '2026-06'}
paths:
${PAYOUTS}${money("string")}`;

test("a provider spec is imported, a used operation marked and linked to a case, and a newer version that removes it flags the case for retest", async ({ page }) => {
  await signIn(page, ADMIN.email, ADMIN.password);
  // Other tests' incidents notify everyone; start this one with nothing unread.
  const read = await page.request.post("/api/mark_notifications_read", { headers: { Origin: new URL(page.url()).origin } });
  expect(read.status()).toBe(200);
  await page.goto("/integrations/new");
  await hydrated(page);
  const name = unique("Orders provider");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Provider").fill("Acme Orders");
  await page.getByLabel("Category").selectOption("payments");
  await page.getByLabel("Business objective").fill("Show buyers their orders and refund them.");
  await page.getByRole("button", { name: "Create integration" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  const slug = new URL(page.url()).pathname.split("/")[2];

  // Import the first version with the upload form (a plain multipart form).
  await page.getByRole("link", { name: "API specs", exact: true }).click();
  await expect(page.getByRole("heading", { name: `API specs: ${name}` })).toBeVisible();
  await expect(page.getByText("No specifications yet.")).toBeVisible();
  await checkA11y(page);
  const upload = page.getByRole("region", { name: "Import a document" });
  await upload.getByLabel("API name").fill("Orders API");
  await upload.getByLabel("Document").setInputFiles({ name: "orders-v1.yaml", mimeType: "application/yaml", buffer: Buffer.from(V1) });
  await upload.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("Imported as version 1, with 3 operations.")).toBeVisible();

  // Mark the order read as used, from the catalogue.
  await page.getByRole("link", { name: "Operations", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Orders API: operations of version 1" })).toBeVisible();
  await hydrated(page);
  await checkA11y(page);
  await page.getByRole("searchbox", { name: "Search", exact: true }).fill("order");
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("2 matching operation(s).")).toBeVisible();
  await hydrated(page);
  const row = page.getByRole("row").filter({ hasText: "GET /orders/{id}" });
  await row.getByText("Mark used…").click();
  await row.getByLabel("Why GET /orders/{id} is used").fill("Order page");
  await row.getByRole("button", { name: "Mark as used" }).click();
  await expect(row.getByText("Used", { exact: true })).toBeVisible();
  await expect(row).toContainText("Order page");

  // QA links a test case to it.
  await page.goto(`/integrations/${slug}/testing`);
  await hydrated(page);
  await page.getByText("Add a case…").click();
  const add = page.getByRole("form", { name: "Add a case" });
  await add.getByLabel("Title").fill("Order page shows the order");
  await add.getByLabel("Category").selectOption("functional");
  await add.getByLabel("GET /orders/{id} (Orders API)").check();
  await add.getByRole("button", { name: "Add case" }).click();
  const cases = page.getByRole("table", { name: "Test cases" });
  await expect(cases).toContainText("order_page_shows_the_order");
  await expect(cases.getByText("Needs retest")).toHaveCount(0);

  // The provider's next version drops the used operation.
  await page.goto(`/integrations/${slug}/specs`);
  await hydrated(page);
  await upload.getByLabel("API name").fill("Orders API");
  await upload.getByLabel("Document").setInputFiles({ name: "orders-v2.yaml", mimeType: "application/yaml", buffer: Buffer.from(V2) });
  await upload.getByRole("button", { name: "Import" }).click();
  await expect(page.getByText("1 breaking change(s) touch operations this integration uses; 1 linked test case(s) need a retest.")).toBeVisible();
  const maintenance = page.getByRole("region", { name: "Maintenance" });
  await expect(maintenance).toContainText("Orders API version 2 breaks 1 used operation");
  await expect(page.getByRole("link", { name: /Notifications/ })).toContainText("1");

  // The change report marks the change on the used operation, and downloads.
  await maintenance.getByRole("link", { name: "See the change report" }).click();
  await expect(page.getByRole("heading", { name: "Orders API: changes from v1 to v2" })).toBeVisible();
  const first = page.getByRole("table").getByRole("row", { name: /GET \/orders\/\{id\}/ });
  await expect(first).toContainText("GET /orders/{id}");
  await expect(first).toContainText("Used");
  await expect(first).toContainText("api-path-removed-without-deprecation");
  // A change in the shared schema is one row, at its location, listing both ways to it.
  const shared = page.getByRole("table").getByRole("row").filter({ hasText: "response-property-type-changed" });
  await expect(shared).toHaveCount(1);
  await expect(shared).toContainText("GET /payouts (response 200, application/json)");
  await expect(shared).toContainText("#/components/schemas/Money/properties/amount");
  await expect(shared.getByText("POST /refunds (response 201, application/json)")).toBeHidden();
  await shared.getByText("and 1 more").click();
  await expect(shared.getByText("POST /refunds (response 201, application/json)")).toBeVisible();
  await checkA11y(page);
  const download = page.waitForEvent("download");
  await page.getByRole("link", { name: "Download Markdown" }).click();
  expect((await download).suggestedFilename()).toBe("changes-v1-v2.md");

  // The case needs a retest; the notification leads back to the report.
  await page.goto(`/integrations/${slug}/testing`);
  await expect(cases.getByText("Needs retest")).toBeVisible();
  await page.getByRole("link", { name: /Notifications/ }).click();
  await expect(page.getByRole("link", { name: `${name}: Orders API version 2 breaks 1 used operation` })).toBeVisible();
  await checkA11y(page);
});
