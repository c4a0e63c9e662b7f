// The Node SDK's part of scripts/sentry.sh: `@sentry/node` (from the npm registry), given only
// the DSN in argv[2], reports one exception tagged with its operation, then flushes; with
// `check-in` in argv[3], it reports a cron job's run instead (started, then ok), the first
// check-in carrying the monitor's schedule (every 2 hours); with `trace` and a provider's URL
// in argv[3] and argv[4], it traces three calls to that provider's GET /v1/refunds/{refund}.
const Sentry = require("@sentry/node");

async function trace(provider) {
  // Required after Sentry.init, so its http integration instruments the module.
  const http = require("http");
  await Sentry.startSpan({ name: "refund-sync", op: "task" }, async () => {
    for (let n = 0; n < 3; n++) {
      await new Promise((done, failed) =>
        http.get(`${provider}/v1/refunds/re_node_${n}`, (res) => { res.resume(); res.on("end", done); }).on("error", failed));
    }
  });
  if (!(await Sentry.flush(10000))) {
    console.error("FAILED: @sentry/node did not flush");
    process.exit(1);
  }
  console.log(`@sentry/node ${Sentry.SDK_VERSION}: traced`);
}

async function checkIn() {
  const config = { schedule: { type: "interval", value: 2, unit: "hour" }, checkinMargin: 5, maxRuntime: 30 };
  const checkInId = Sentry.captureCheckIn({ monitorSlug: "token-refresh", status: "in_progress" }, config);
  // Sent before the next, so the run's start arrives first.
  await Sentry.flush(10000);
  Sentry.captureCheckIn({ checkInId, monitorSlug: "token-refresh", status: "ok", duration: 0.4 });
  if (!(await Sentry.flush(10000))) {
    console.error("FAILED: @sentry/node did not flush");
    process.exit(1);
  }
  console.log(`@sentry/node ${Sentry.SDK_VERSION}: checked in`);
}

async function main() {
  if (process.argv[3] === "trace") {
    Sentry.init({ dsn: process.argv[2], tracesSampleRate: 1.0, defaultIntegrations: false, integrations: [Sentry.httpIntegration()] });
    return trace(process.argv[4]);
  }
  Sentry.init({ dsn: process.argv[2], environment: "prod-eu", release: "shop@1.4.2", defaultIntegrations: false });
  if (process.argv[3] === "check-in") {
    return checkIn();
  }
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
