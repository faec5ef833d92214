/**
 * The `TrustedCluster` resource provider: the shared
 * {@link SchemaResourceProvider} with the cluster's schema, defaults, diff
 * and backends.
 */
import { getTrustedClusterBackend } from "./backends/registry";
import type { TrustedClusterState } from "./backends/trusted-cluster-backend";
import type { ProviderSettings } from "./config/settings";
import { diffTrustedCluster } from "./diff/trusted-cluster-diff";
import { SchemaResourceProvider, type ResourceDefinition } from "./resource-provider";
import { applyTrustedClusterDefaults, trustedClusterInputsSchema, type TrustedClusterInputs } from "./schemas/trusted-cluster";

/** What the provider needs to know about trusted clusters. */
export const TRUSTED_CLUSTER_DEFINITION: ResourceDefinition<TrustedClusterInputs, TrustedClusterState> = {
  schema: trustedClusterInputsSchema,
  applyDefaults: applyTrustedClusterDefaults,
  diff: diffTrustedCluster,
  backend: getTrustedClusterBackend,
};

/** The `TrustedCluster` resource provider. */
export class TrustedClusterProvider extends SchemaResourceProvider<TrustedClusterInputs, TrustedClusterState> {
  constructor(getSettings: () => ProviderSettings) {
    super(TRUSTED_CLUSTER_DEFINITION, getSettings);
  }
}
