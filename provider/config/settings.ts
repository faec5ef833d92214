/**
 * Provider settings: how to reach each backend. They come from stack
 * configuration under the `vmpools:` namespace (read in `configure()`), with
 * the usual environment variables as fallback. They are never resource
 * inputs, so credentials never reach Pulumi state.
 */

/** Stack config namespace of this provider. */
export const CONFIG_NAMESPACE = "vmpools";

/** How to reach a Kubernetes cluster (KubeVirt and VM-Operator backends). */
export interface KubernetesSettings {
  /**
   * A kubeconfig: either a file path or the document itself (YAML or JSON),
   * from `vmpools:kubeconfig`. When absent, `KUBECONFIG` or `~/.kube/config`
   * is used, as kubectl does.
   */
  readonly kubeconfig: string | undefined;
  /** Context to use from the kubeconfig (`vmpools:context`). @default the kubeconfig's current context */
  readonly context: string | undefined;
}

/** How to reach an oVirt engine. */
export interface OvirtSettings {
  /** API URL (`vmpools:ovirtUrl`, else `OVIRT_URL`), e.g. `https://engine.example.com/ovirt-engine/api`. */
  readonly url: string | undefined;
  /** Profile login (`vmpools:ovirtUsername`, else `OVIRT_USERNAME`), e.g. `admin@internal`. */
  readonly username: string | undefined;
  /** Password (`vmpools:ovirtPassword`, set it `--secret`; else `OVIRT_PASSWORD`). */
  readonly password: string | undefined;
  /** CA certificate file (`vmpools:ovirtCaFile`, else `OVIRT_CAFILE`). @default the system CAs */
  readonly caFile: string | undefined;
  /** Skip TLS verification (`vmpools:ovirtInsecure: true`). @default false */
  readonly insecure: boolean;
  /**
   * Requests this provider process sends to the engine at once, whatever
   * `pulumi up --parallel` says (`vmpools:ovirtMaxConcurrentRequests`). All
   * resources of a stack share the one provider process, and so this limit
   * per engine; the provider narrows it further while the engine answers 429
   * or 503. @default 8 ({@link DEFAULT_OVIRT_MAX_CONCURRENT_REQUESTS})
   */
  readonly maxConcurrentRequests: number;
}

/**
 * The default of `vmpools:ovirtMaxConcurrentRequests`: enough to keep an
 * engine busy with several pools at once while staying well below what a
 * default engine serves in parallel (its Apache proxy and the REST layer's
 * worker threads), as the Ansible collection's default of five forks does.
 */
export const DEFAULT_OVIRT_MAX_CONCURRENT_REQUESTS = 8;

/** The limit of concurrent requests from its config text: a positive whole number. */
function toMaxConcurrentRequests(text: string | undefined, key: string): number {
  if (text === undefined) {
    return DEFAULT_OVIRT_MAX_CONCURRENT_REQUESTS;
  }
  const value = Number(text.trim());
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`'vmpools:${key}' must be a positive whole number of requests (got '${text}'); the default is ${DEFAULT_OVIRT_MAX_CONCURRENT_REQUESTS}`);
  }
  return value;
}

/** Settings of one named connection (`vmpools:connections.<name>`). */
export interface ConnectionSettings {
  readonly kubernetes: KubernetesSettings;
  readonly ovirt: OvirtSettings;
}

/** Everything the provider knows about its connections. */
export interface ProviderSettings extends ConnectionSettings {
  /**
   * Whether `check()` verifies references and shrinks read-only against the
   * backend, so `preview` fails where `up` would (`vmpools:verifyReferences`,
   * else `VMPOOLS_VERIFY_REFERENCES`). Turn it off for previews without
   * access to the engine. @default true
   */
  readonly verifyReferences: boolean;
  /**
   * Named connections, for several engines or clusters in one stack, from the
   * structured config `vmpools:connections` (e.g. `pulumi config set --secret
   * --path 'vmpools:connections.lab2.ovirtPassword' ...`). Keys inside a
   * connection are the same as the top-level ones.
   */
  readonly connections: Readonly<Record<string, ConnectionSettings>>;
}

/** Reads one config value; `key` is given without the namespace. */
export type ConfigReader = (key: string) => string | undefined;

/** Environment variables the settings fall back to. */
export type Environment = Readonly<Record<string, string | undefined>>;

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

function toConnection(read: (key: string) => string | undefined, env: Environment, prefix = ""): ConnectionSettings {
  return {
    kubernetes: {
      kubeconfig: nonEmpty(read("kubeconfig")),
      context: nonEmpty(read("context")),
    },
    ovirt: {
      url: nonEmpty(read("ovirtUrl")) ?? nonEmpty(env["OVIRT_URL"]),
      username: nonEmpty(read("ovirtUsername")) ?? nonEmpty(env["OVIRT_USERNAME"]),
      password: nonEmpty(read("ovirtPassword")) ?? nonEmpty(env["OVIRT_PASSWORD"]),
      caFile: nonEmpty(read("ovirtCaFile")) ?? nonEmpty(env["OVIRT_CAFILE"]),
      insecure: (nonEmpty(read("ovirtInsecure")) ?? "false").toLowerCase() === "true",
      maxConcurrentRequests: toMaxConcurrentRequests(nonEmpty(read("ovirtMaxConcurrentRequests")), `${prefix}ovirtMaxConcurrentRequests`),
    },
  };
}

function parseConnections(text: string | undefined): Record<string, Record<string, unknown>> {
  if (text === undefined) {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error("'vmpools:connections' must be structured config (set it with 'pulumi config set --path vmpools:connections.<name>.<key> <value>')");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error("'vmpools:connections' must map connection names to their settings");
  }
  return parsed as Record<string, Record<string, unknown>>;
}

/**
 * Builds settings from stack config. Pulumi passes dynamic providers the whole
 * stack config with namespaces kept, all values as strings and secrets
 * already decrypted. Named connections do not fall back to the environment,
 * which describes the default connection only.
 */
export function toProviderSettings(read: ConfigReader, env: Environment = process.env): ProviderSettings {
  const named: Record<string, ConnectionSettings> = {};
  for (const [name, values] of Object.entries(parseConnections(read("connections")))) {
    named[name] = toConnection((key) => {
      const value = values[key];
      return value === undefined || value === null ? undefined : typeof value === "string" ? value : JSON.stringify(value);
    }, {}, `connections.${name}.`);
  }
  const verify = nonEmpty(read("verifyReferences")) ?? nonEmpty(env["VMPOOLS_VERIFY_REFERENCES"]) ?? "true";
  return { ...toConnection(read, env), connections: named, verifyReferences: verify.toLowerCase() !== "false" };
}

/** The settings of the named connection, or the default connection. */
export function getConnection(settings: ProviderSettings, name: string | undefined): ConnectionSettings {
  if (name === undefined) {
    return settings;
  }
  const found = settings.connections[name];
  if (found === undefined) {
    const known = Object.keys(settings.connections);
    throw new Error(`no connection named '${name}' in 'vmpools:connections'${known.length === 0 ? "" : `; it has ${known.map((k) => `'${k}'`).join(", ")}`}`);
  }
  return found;
}

/** Settings used before `configure()` runs, or when the stack sets nothing. */
export const DEFAULT_SETTINGS: ProviderSettings = toProviderSettings(() => undefined, {});
