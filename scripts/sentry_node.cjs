// The Node SDK's part of scripts/sentry.sh: `@sentry/node` (from the npm registry), given only
// the DSN in argv[2], reports one exception tagged with its operation, then flushes.
const Sentry = require("@sentry/node");

async function main() {
  Sentry.init({ dsn: process.argv[2], environment: "prod-eu", release: "shop@1.4.2", defaultIntegrations: false });
  Sentry.setTag("operation", "POST /v1/webhooks");
  try {
    throw new TypeError("Webhook signature mismatch for evt_1Q2w");
  } catch (e) {
    Sentry.captureException(e);
  }
  if (!(await Sentry.flush(10000))) {
    console.error("FAILED: @sentry/node did not flush");
    process.exit(1);
  }
  console.log(`@sentry/node ${Sentry.SDK_VERSION}: reported`);
}

main();
