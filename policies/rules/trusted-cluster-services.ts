/**
 * `trusted-cluster-services`: a trusted cluster on oVirt runs the virt
 * service and not the gluster service. The engine's web UI allows trust only
 * with virt on and turns it off when gluster is on; its REST API checks
 * neither (reference §4), so a cluster made through it can be "trusted" in
 * name only.
 */
import { z } from "zod";

import { validateTrustedClusterServices } from "../../provider/schemas/cluster-rules";
import { ovirtTrustedClusterBackendSchema } from "../../provider/schemas/trusted-cluster";
import { TRUSTED_CLUSTER_TYPE } from "../../provider/trusted-cluster";
import { defineResourcePolicy } from "../lib/define-policy";
import { readPath } from "../lib/inputs";
import { formatIssue } from "../lib/messages";
import { known, readField } from "../lib/vm-pool-fields";

/** Settings of `trusted-cluster-services`: none. */
export const trustedClusterServicesConfig = z.strictObject({});

const services = ovirtTrustedClusterBackendSchema.shape;

/** The policy. */
export const trustedClusterServices = defineResourcePolicy({
  name: "trusted-cluster-services",
  description: "Checks whether a trusted oVirt cluster has the virt service on and the gluster service off.",
  severity: "high",
  enforcementLevel: "mandatory",
  remediationSteps: "Leave 'virtService' on and 'glusterService' off; put storage in a cluster of its own.",
  resourceType: TRUSTED_CLUSTER_TYPE,
  config: trustedClusterServicesConfig,
  check(resource, _config, report) {
    const backend = resource.props["backend"];
    if (readPath(backend, "kind") !== "ovirt") {
      return;
    }
    const virtService = readField(services.virtService, readPath(backend, "virtService"), ["backend", "virtService"]);
    const glusterService = readField(services.glusterService, readPath(backend, "glusterService"), ["backend", "glusterService"]);
    const virt = known(virtService);
    const gluster = known(glusterService);
    // Check each service that is known; the other counts as compliant.
    const issues = validateTrustedClusterServices({ virtService: virt ?? true, glusterService: gluster ?? false });
    issues.forEach((issue) => {
      report(formatIssue(issue));
    });
  },
});
