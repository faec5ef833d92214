/**
 * The implementation behind the serialized provider shims. The dynamic
 * provider host loads it at run time with `require("pulumi-vmpools/runtime")`
 * from the program's folder, so state holds no logic and no secrets, and a
 * fix here reaches existing stacks without rewriting their state.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";

import { toProviderSettings, type ConfigReader, type ProviderSettings } from "../config/settings";
import { PoolPermissionProvider } from "../pool-permission-provider";
import { TrustedClusterProvider } from "../trusted-cluster-provider";
import { VmPoolProvider } from "../vm-pool-provider";

/** Resource kinds served by this runtime; each shim names one. */
export type ResourceKind = "VmPool" | "TrustedCluster" | "PoolPermission";

let settings: ProviderSettings = toProviderSettings(() => undefined);

/**
 * Takes the provider settings from stack config. Called by each shim's
 * `configure()`; every shim sees the same stack config, so the last call wins
 * harmlessly.
 */
export function configure(read: ConfigReader): void {
  settings = toProviderSettings(read);
}

/** A provider with every optional method present, as the shims call them. */
export type RuntimeProvider = Required<Omit<dynamic.ResourceProvider<Record<string, unknown>, Record<string, unknown>>, "configure">>;

const providers: Record<ResourceKind, RuntimeProvider> = {
  VmPool: new VmPoolProvider(() => settings),
  TrustedCluster: new TrustedClusterProvider(() => settings),
  PoolPermission: new PoolPermissionProvider(() => settings),
};

/** The provider implementation for one resource kind. */
export function getResourceProvider(kind: ResourceKind): RuntimeProvider {
  // A shim from another version of the package may name a kind this one lacks.
  const provider = (providers as Partial<Record<string, RuntimeProvider>>)[kind];
  if (provider === undefined) {
    throw new Error(`this version of pulumi-vmpools has no provider for '${kind}'; update the pulumi-vmpools package`);
  }
  return provider;
}
