/**
 * `npm run sandbox`: starts the oVirt engine sandbox on loopback for demos
 * and manual tries, prints its URL, CA file and credentials, and runs until
 * interrupted.
 *
 * Options (environment): SANDBOX_PORT (default 8443; 0 for any free port),
 * SANDBOX_TLS=false for plain HTTP, SANDBOX_SPEED (clock speed-up for the
 * demo delays, default 1), SANDBOX_ADMIN_PASSWORD, SANDBOX_CA_FILE (where to
 * write the CA certificate, default ./sandbox-ca.pem),
 * SANDBOX_MAX_CONCURRENT_REQUESTS (answer 503 from that many requests in
 * flight on, as an overloaded engine does; default off).
 */
import * as fs from "node:fs";
import * as path from "node:path";

import { SystemClock } from "./clock";
import { DEMO_TIMINGS } from "./model";
import { startOvirtSandbox } from "./server";

async function main(): Promise<void> {
  const env = process.env;
  const sandbox = await startOvirtSandbox({
    port: Number(env["SANDBOX_PORT"] ?? 8443),
    tls: env["SANDBOX_TLS"] !== "false",
    clock: new SystemClock(Number(env["SANDBOX_SPEED"] ?? 1)),
    timings: DEMO_TIMINGS,
    ...(env["SANDBOX_ADMIN_PASSWORD"] === undefined ? {} : { adminPassword: env["SANDBOX_ADMIN_PASSWORD"] }),
    ...(env["SANDBOX_MAX_CONCURRENT_REQUESTS"] === undefined ? {} : { maxConcurrentRequests: Number(env["SANDBOX_MAX_CONCURRENT_REQUESTS"]) }),
  });
  const lines = [`oVirt engine sandbox listening`, `  API:       ${sandbox.url}`, `  SSO:       ${sandbox.origin}/ovirt-engine/sso/oauth/token`];
  if (sandbox.caPem !== undefined) {
    const caFile = path.resolve(env["SANDBOX_CA_FILE"] ?? "sandbox-ca.pem");
    fs.writeFileSync(caFile, sandbox.caPem);
    lines.push(`  CA file:   ${caFile}`);
  }
  lines.push(
    `  admin:     ${sandbox.credentials.username} / ${sandbox.credentials.password}`,
    `  users:     alice@internal / alice-password, bob@internal / bob-password`,
    `  control:   ${sandbox.origin}/__sandbox/state`,
    "Ctrl-C to stop.",
  );
  console.log(lines.join("\n"));
  const stop = (): void => {
    void sandbox.close().then(() => process.exit(0));
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
