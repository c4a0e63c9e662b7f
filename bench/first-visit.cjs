// What a first visit to a page downloads: a fresh Chromium (empty cache) signs in, opens the
// page and waits until it has hydrated; every WebAssembly and JavaScript file it fetched is
// counted at its gzip -9 size (the budget's measure; the server may send Brotli, which is
// smaller). Usage: node bench/first-visit.cjs BASE_URL EMAIL PASSWORD PATH SITE_DIR
// Prints one line per file and a total line "total: N bytes gzip".
const { createRequire } = require("node:module");
const { readFileSync } = require("node:fs");
const { join } = require("node:path");
const { gzipSync } = require("node:zlib");

const requireE2e = createRequire(join(__dirname, "..", "end2end", "package.json"));
const { chromium } = requireE2e("@playwright/test");

const [base, email, password, path, site] = process.argv.slice(2);

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ baseURL: base });
  const login = await context.request.post("/api/login", { headers: { Origin: base }, form: { email, password } });
  if (login.status() >= 400) throw new Error(`sign-in refused: ${login.status()}`);
  const page = await context.newPage();
  const fetched = new Set();
  page.on("request", (req) => {
    const url = new URL(req.url());
    if (/\.(wasm|js)$/.test(url.pathname)) fetched.add(url.pathname);
  });
  await page.goto(path);
  await page.waitForFunction(() => window.__tollgate_hydrated === true, null, { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  let total = 0;
  for (const file of [...fetched].sort()) {
    const body = readFileSync(join(site, file));
    const gz = gzipSync(body, { level: 9 }).length;
    total += gz;
    console.log(`   ${file}: ${body.length} bytes raw, ${gz} gzip`);
  }
  console.log(`total: ${total} bytes gzip`);
  await browser.close();
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
