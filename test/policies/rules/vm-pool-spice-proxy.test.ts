import { describe, expect, it } from "vitest";

import { vmPoolSpiceProxy } from "../../../policies/rules/vm-pool-spice-proxy";
import { kubevirtPoolProps, ovirtPoolProps, runResourcePolicy, UNKNOWN_VALUE } from "../../harness/policy-harness";

describe("vm-pool-spice-proxy", () => {
  it.each([
    { props: ovirtPoolProps({}, { spiceProxy: "http://proxy.example.com:3128" }) },
    // Unset: the engine's global proxy.
    { props: ovirtPoolProps() },
    { props: ovirtPoolProps({}, { spiceProxy: UNKNOWN_VALUE }) },
    { props: kubevirtPoolProps() },
  ])("passes $props.backend.spiceProxy", async ({ props }) => {
    expect((await runResourcePolicy(vmPoolSpiceProxy, { props })).violations).toEqual([]);
  });

  it("reports a proxy that is no protocol://host:port", async () => {
    expect((await runResourcePolicy(vmPoolSpiceProxy, { props: ovirtPoolProps({}, { spiceProxy: "http://proxy:99999" }) })).violations).toEqual([
      "'backend.spiceProxy' must be a SPICE proxy address protocol://host:port, e.g. http://proxy.example.com:3128 (port 1-65535) (got \"http://proxy:99999\")",
    ]);
  });
});
