// How big an integration's pages are on the demo portfolio: a Chromium at 1366 x 768 signs in,
// opens each section page of every integration, and measures the HTML the server sent (bytes)
// and how tall the page is (CSS pixels). Usage: node bench/page-size.cjs BASE_URL EMAIL PASSWORD
// Prints one line per page, tallest first, then "largest: PATH BYTES bytes HEIGHT px".
const { createRequire } = require("node:module");
const { join } = require("node:path");

const requireE2e = createRequire(join(__dirname, "..", "end2end", "package.json"));
const { chromium } = requireE2e("@playwright/test");

const [base, email, password] = process.argv.slice(2);
const SECTIONS = ["", "/planning/needs", "/planning/meetings", "/environments", "/credentials", "/mapping",
  "/checklists", "/testing", "/specs", "/health", "/errors", "/provider", "/audits", "/history"];

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const context = await browser.newContext({ baseURL: base, viewport: { width: 1366, height: 768 } });
  const login = await context.request.post("/api/login", { headers: { Origin: base }, form: { email, password } });
  if (login.status() >= 400) throw new Error(`sign-in refused: ${login.status()}`);
  const list = await (await context.request.get("/api/v1/integrations")).json();
  const page = await context.newPage();
  const rows = [];
  for (const i of list.items) {
    for (const s of SECTIONS) {
      const path = `/integrations/${i.slug}${s}`;
      const res = await page.goto(path);
      const bytes = (await res.body()).length;
      const height = await page.evaluate(() => document.documentElement.scrollHeight);
      rows.push({ path, bytes, height });
    }
  }
  rows.sort((a, b) => b.height - a.height);
  for (const r of rows.slice(0, 15)) console.log(`   ${r.path}: ${r.bytes} bytes, ${r.height} px`);
  const top = rows[0];
  console.log(`largest: ${top.path} ${top.bytes} bytes ${top.height} px`);
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
