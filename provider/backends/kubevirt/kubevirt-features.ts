/**
 * Finding out which pool knobs a cluster's `VirtualMachinePool` schema has:
 * a dry-run create of a probe pool with strict field validation, whose
 * refusal names every field the schema lacks. Nothing is stored. The answer
 * is kept per API server and version for the life of the process (a
 * preview asks for every pool); a refused probe (no `create` permission,
 * no such namespace) falls back to what the served version implies and is
 * not kept.
 */
import { BackendError, type ErrorContext } from "../../errors";
import type { KubevirtClient, PoolVersion } from "./client";
import { inferFeaturesFromVersion, parseUnknownFields, toFeatureProbeManifest, toFeaturesFromUnknownFields, type KubevirtPoolFeatures } from "./pool-features";

const probed = new Map<string, KubevirtPoolFeatures>();

/** The pool knobs the cluster behind `client` has in `version`, probed in `namespace`. */
export async function detectKubevirtPoolFeatures(client: KubevirtClient, ctx: ErrorContext, version: PoolVersion, namespace: string): Promise<KubevirtPoolFeatures> {
  const key = `${client.server}|${version}`;
  const known = probed.get(key);
  if (known !== undefined) {
    return known;
  }
  let features: KubevirtPoolFeatures;
  try {
    await client.dryRunCreatePool(ctx, version, namespace, toFeatureProbeManifest(version));
    features = toFeaturesFromUnknownFields(version, []);
  } catch (err) {
    if (!BackendError.isInstance(err) || err.status === undefined || err.status >= 500) {
      throw err;
    }
    const unknown = parseUnknownFields(err.message);
    if (unknown !== undefined) {
      features = toFeaturesFromUnknownFields(version, unknown);
    } else if (err.status === 403 || err.status === 404) {
      return inferFeaturesFromVersion(version);
    } else {
      // Decoding passed (the schema has every field); something later
      // refused the probe (admission, an existing name).
      features = toFeaturesFromUnknownFields(version, []);
    }
  }
  probed.set(key, features);
  return features;
}
