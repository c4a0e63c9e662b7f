import { chromium } from "playwright";
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || undefined });
const page = await browser.newPage();
const errors = [];
page.on("console", (m) => { if (m.type() === "error") errors.push(m.text().slice(0, 300)); });
page.on("pageerror", (e) => errors.push("page: " + e.message));
const base = "http://127.0.0.1:3333";
await page.goto(base + "/login");
await page.waitForFunction(() => window.__tollgate_hydrated === true, null, { timeout: 30000 });
await page.getByLabel("Email").fill(process.argv[2] || "stakeholder@saypro.example");
await page.getByLabel("Password").fill("tollgate-demo-password");
await page.getByRole("button", { name: "Sign in" }).click();
await page.waitForTimeout(1500);
for (const path of process.argv.slice(3)) {
  errors.length = 0;
  await page.goto(base + path);
  try { await page.waitForFunction(() => window.__tollgate_hydrated === true, null, { timeout: 15000 }); } catch (e) { errors.push("not hydrated"); }
  console.log(path, errors.length ? errors.join(" | ") : "OK");
}
await browser.close();
