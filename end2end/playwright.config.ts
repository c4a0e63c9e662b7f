import { defineConfig } from "@playwright/test";

// Runs against a release build served by scripts/e2e.sh on its own port and database.
const baseURL = process.env.TOLLGATE_URL ?? "http://127.0.0.1:3100";

export default defineConfig({
  testDir: "./tests",
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  // First-run set-up creates the admin; every spec depends on it and on nothing else, so any
  // spec runs alone (npx playwright test specs.spec.ts) or in any order.
  projects: [
    { name: "setup", testMatch: /.*\.setup\.ts/ },
    { name: "e2e", testMatch: /.*\.spec\.ts/, dependencies: ["setup"] },
  ],
  use: {
    baseURL,
    launchOptions: {
      // Debian's Chromium; Playwright cannot download a browser here (see TOOLCHAIN.md).
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
