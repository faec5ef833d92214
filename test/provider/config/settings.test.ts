import { describe, expect, it } from "vitest";

import { DEFAULT_OVIRT_MAX_CONCURRENT_REQUESTS, getConnection, toProviderSettings } from "../../../provider/config/settings";

const config = (values: Record<string, string>) => (key: string): string | undefined => values[key];

describe("toProviderSettings", () => {
  it("reads the vmpools: keys, TLS verification on unless turned off by name", () => {
    const settings = toProviderSettings(
      config({ ovirtUrl: "https://engine/ovirt-engine/api", ovirtUsername: "admin@internal", ovirtPassword: "pw", ovirtCaFile: "/ca.pem", kubeconfig: "/kc", context: "lab" }),
      {},
    );
    expect(settings).toEqual({
      kubernetes: { kubeconfig: "/kc", context: "lab" },
      ovirt: { url: "https://engine/ovirt-engine/api", username: "admin@internal", password: "pw", caFile: "/ca.pem", insecure: false, maxConcurrentRequests: 8 },
      connections: {},
      verifyReferences: true,
    });
  });

  it("falls back to the usual environment variables, config winning over them", () => {
    const env = { OVIRT_URL: "https://env/api", OVIRT_USERNAME: "env@internal", OVIRT_PASSWORD: "envpw", OVIRT_CAFILE: "/env-ca.pem", VMPOOLS_VERIFY_REFERENCES: "false" };
    expect(toProviderSettings(config({ ovirtUsername: "cfg@internal" }), env).ovirt).toEqual({ url: "https://env/api", username: "cfg@internal", password: "envpw", caFile: "/env-ca.pem", insecure: false, maxConcurrentRequests: 8 });
    expect(toProviderSettings(config({}), env).verifyReferences).toBe(false);
    expect(toProviderSettings(config({ verifyReferences: "true" }), env).verifyReferences).toBe(true);
  });

  it.each([
    { value: "true", insecure: true },
    { value: "TRUE", insecure: true },
    { value: "false", insecure: false },
    { value: "yes", insecure: false },
  ])("reads ovirtInsecure $value as $insecure", ({ value, insecure }) => {
    expect(toProviderSettings(config({ ovirtInsecure: value }), {}).ovirt.insecure).toBe(insecure);
  });

  it("reads ovirtMaxConcurrentRequests as a positive whole number, 8 by default, per connection too", () => {
    expect(toProviderSettings(config({}), {}).ovirt.maxConcurrentRequests).toBe(DEFAULT_OVIRT_MAX_CONCURRENT_REQUESTS);
    expect(toProviderSettings(config({ ovirtMaxConcurrentRequests: " 32 " }), {}).ovirt.maxConcurrentRequests).toBe(32);
    const named = toProviderSettings(config({ connections: JSON.stringify({ lab2: { ovirtMaxConcurrentRequests: 2 } }) }), {});
    expect(getConnection(named, "lab2").ovirt.maxConcurrentRequests).toBe(2);
    for (const bad of ["0", "-1", "2.5", "many"]) {
      expect(() => toProviderSettings(config({ ovirtMaxConcurrentRequests: bad }), {})).toThrow(`'vmpools:ovirtMaxConcurrentRequests' must be a positive whole number of requests (got '${bad}'); the default is 8`);
    }
    expect(() => toProviderSettings(config({ connections: JSON.stringify({ lab2: { ovirtMaxConcurrentRequests: 0 } }) }), {})).toThrow("'vmpools:connections.lab2.ovirtMaxConcurrentRequests' must be a positive whole number");
  });

  it("reads named connections from structured config, without environment fallback", () => {
    const settings = toProviderSettings(config({ connections: JSON.stringify({ lab2: { ovirtUrl: "https://lab2/api", ovirtUsername: "a@internal", ovirtPassword: "x", ovirtInsecure: true }, k8s: { kubeconfig: "/k2" } }) }), {
      OVIRT_URL: "https://default/api",
    });
    expect(getConnection(settings, "lab2").ovirt).toEqual({ url: "https://lab2/api", username: "a@internal", password: "x", caFile: undefined, insecure: true, maxConcurrentRequests: 8 });
    expect(getConnection(settings, "k8s").kubernetes).toEqual({ kubeconfig: "/k2", context: undefined });
    expect(getConnection(settings, "k8s").ovirt.url).toBeUndefined();
    expect(getConnection(settings, undefined).ovirt.url).toBe("https://default/api");
  });

  it("names the known connections when asked for an unknown one", () => {
    const settings = toProviderSettings(config({ connections: JSON.stringify({ lab2: {}, lab3: {} }) }), {});
    expect(() => getConnection(settings, "lab9")).toThrow("no connection named 'lab9' in 'vmpools:connections'; it has 'lab2', 'lab3'");
  });

  it("explains connections that are not structured config", () => {
    expect(() => toProviderSettings(config({ connections: "lab2" }), {})).toThrow(
      "'vmpools:connections' must be structured config (set it with 'pulumi config set --path vmpools:connections.<name>.<key> <value>')",
    );
  });
});
