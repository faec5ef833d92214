/**
 * Messages `preview` shows about what a change will do, without failing it:
 * which VMs a shrink removes, whether a template change restarts running VMs.
 *
 * A dynamic provider's `diff` has no channel for messages, and a `check`
 * failure stops the preview, which is right only for what `up` would
 * refuse. So the provider sends these as warnings through the engine's own
 * `Log` RPC: the dynamic provider host is started with the engine's address
 * as its argument (as every resource plugin is), and the Pulumi CLI prints
 * such a warning in `preview` and `up`, under the stack in "Diagnostics"
 * (measured with the CLI: `warning: <message>`). The host does not hand the
 * resource's URN to `check()`, so each message names the pool itself.
 * Outside the host (tests, other hosts) they go to stderr, which the engine
 * also shows for a plugin, as plain text.
 */
import { createRequire } from "node:module";
import * as path from "node:path";

/** Delivers messages; never throws (a message that cannot be shown must not fail a preview). */
export type NoticeSink = (messages: readonly string[]) => Promise<void>;

/** `pulumirpc.LogRequest`, as much of it as is used. */
interface LogRequest {
  setSeverity(severity: number): void;
  setMessage(message: string): void;
  setUrn(urn: string): void;
}

/** The parts of `@pulumi/pulumi`'s generated engine client and its gRPC library that are used. */
interface EngineModules {
  readonly proto: { LogRequest: new () => LogRequest; LogSeverity: { WARNING: number } };
  readonly rpc: { EngineClient: new (address: string, credentials: unknown) => { log(request: LogRequest, done: (err: Error | null) => void): void; close(): void } };
  readonly grpc: { credentials: { createInsecure(): unknown } };
}

/** `host:port`, as the engine passes its address. */
const ENGINE_ADDRESS = /^[\w.-]+:\d+$|^\[[0-9a-fA-F:]+\]:\d+$/;

/**
 * The engine's address when this process is Pulumi's Node dynamic provider
 * host (`node .../@pulumi/pulumi/cmd/dynamic-provider/index.js <engine>`),
 * else undefined.
 */
export function findEngineAddress(argv: readonly string[] = process.argv): string | undefined {
  const script = argv[1] ?? "";
  const address = argv[2] ?? "";
  const host = script.split(path.sep).join("/");
  return host.includes("/cmd/dynamic-provider") && ENGINE_ADDRESS.test(address) ? address : undefined;
}

function loadEngineModules(): EngineModules {
  // The host loaded @pulumi/pulumi already; its generated client and its own
  // copy of @grpc/grpc-js are resolved from there.
  const fromPulumi = createRequire(require.resolve("@pulumi/pulumi"));
  return {
    proto: fromPulumi("@pulumi/pulumi/proto/engine_pb") as EngineModules["proto"],
    rpc: fromPulumi("@pulumi/pulumi/proto/engine_grpc_pb") as EngineModules["rpc"],
    grpc: fromPulumi("@grpc/grpc-js") as EngineModules["grpc"],
  };
}

function writeToStderr(messages: readonly string[]): void {
  for (const message of messages) {
    process.stderr.write(`warning: ${message}\n`);
  }
}

/**
 * Shows each message as a warning in the Pulumi CLI's output: through the
 * engine's `Log` RPC inside the dynamic provider host, else on stderr.
 */
export const showPreviewNotices: NoticeSink = async (messages) => {
  if (messages.length === 0) {
    return;
  }
  const address = findEngineAddress();
  if (address === undefined) {
    writeToStderr(messages);
    return;
  }
  let modules: EngineModules;
  try {
    modules = loadEngineModules();
  } catch {
    writeToStderr(messages);
    return;
  }
  const client = new modules.rpc.EngineClient(address, modules.grpc.credentials.createInsecure());
  try {
    for (const message of messages) {
      const request = new modules.proto.LogRequest();
      request.setSeverity(modules.proto.LogSeverity.WARNING);
      request.setMessage(message);
      request.setUrn("");
      await new Promise<void>((resolve) => {
        client.log(request, (err) => {
          if (err !== null) {
            writeToStderr([message]);
          }
          resolve();
        });
      });
    }
  } finally {
    client.close();
  }
};
