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

/** Everything the provider knows about its connections. */
export interface ProviderSettings {
  /** Kubernetes connection. */
  readonly kubernetes: KubernetesSettings;
}

/** Reads one config value; `key` is given without the namespace. */
export type ConfigReader = (key: string) => string | undefined;

/**
 * Builds settings from stack config. Pulumi passes dynamic providers the whole
 * stack config with namespaces kept, all values as strings and secrets
 * already decrypted.
 */
export function toProviderSettings(read: ConfigReader): ProviderSettings {
  const nonEmpty = (key: string): string | undefined => {
    const value = read(key);
    return value === undefined || value.trim() === "" ? undefined : value;
  };
  return {
    kubernetes: {
      kubeconfig: nonEmpty("kubeconfig"),
      context: nonEmpty("context"),
    },
  };
}

/** Settings used before `configure()` runs, or when the stack sets nothing. */
export const DEFAULT_SETTINGS: ProviderSettings = toProviderSettings(() => undefined);
