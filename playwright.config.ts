import { defineConfig } from "@playwright/test";

/**
 * The browser flow runs against the real app, built and started the way `npm start` does,
 * on its own SQLite file with the demo seeded and a known password.
 */
const PORT = 3210;
export const E2E_PASSWORD = "e2e-demo-password";

export default defineConfig({
  testDir: "e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"], ["json", { outputFile: process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ?? "test-results/playwright.json" }]],
  outputDir: "test-results/e2e",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking", "--disable-component-update"],
    },
  },
  webServer: {
    command: "node --import tsx e2e/serve.ts",
    url: `http://127.0.0.1:${PORT}/api/ready`,
    timeout: 300_000,
    reuseExistingServer: false,
    stdout: "pipe",
    env: {
      PORT: String(PORT),
      HOSTNAME: "127.0.0.1",
      DATABASE_URL: "file:./data/e2e.db",
      DEMO: "1",
      DEMO_PASSWORD: E2E_PASSWORD,
      AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret",
      WORKER_POLL_MS: "200",
      NEXT_TELEMETRY_DISABLED: "1",
    },
  },
});
