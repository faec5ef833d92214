/**
 * The one assertion every example's test makes about secrets: the stack's
 * state as `pulumi stack export` prints it without `--show-secrets` (what
 * anyone who can read the backend sees) holds none of the passwords, tokens
 * and kubeconfig contents the run used, in any form they could have been
 * written in (as is, JSON-escaped, base64, URL-encoded).
 */
import * as k8s from "@kubernetes/client-node";
import { expect } from "vitest";

import type { OvirtSandbox } from "../../sandbox/ovirt-engine/server";
import type { ExportedResource } from "./pulumi";

/** A value state must not contain, and what it is, for the failure message. */
export interface KnownSecret {
  readonly what: string;
  readonly value: string;
}

/** Shorter values would match by chance (`true`, a port). */
const MIN_SECRET_LENGTH = 8;

/** The forms a secret could take in exported JSON. */
function toEncodings(value: string): string[] {
  const json = JSON.stringify(value).slice(1, -1);
  return [...new Set([value, json, Buffer.from(value).toString("base64"), Buffer.from(value).toString("base64url"), encodeURIComponent(value)])];
}

/** The secrets, by what they are, found in `text` in any of their forms. */
export function findSecretsIn(text: string, secrets: readonly KnownSecret[]): string[] {
  return secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH && toEncodings(s.value).some((form) => text.includes(form))).map((s) => s.what);
}

/**
 * The secrets a kubeconfig carries: the document itself, and each user's
 * token, password, client key and certificate, each cluster's server and CA.
 */
export function kubeconfigSecrets(kubeconfig: string): KnownSecret[] {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  const secrets: KnownSecret[] = [{ what: "the kubeconfig document", value: kubeconfig.trim() }];
  for (const user of kc.getUsers()) {
    const fields: [string, string | undefined][] = [
      ["token", user.token],
      ["password", user.password],
      ["client key", user.keyData],
      ["client certificate", user.certData],
    ];
    for (const [what, value] of fields) {
      if (value !== undefined && value !== "") {
        secrets.push({ what: `the kubeconfig's ${what} of user '${user.name}'`, value });
      }
    }
  }
  for (const cluster of kc.getClusters()) {
    secrets.push({ what: `the kubeconfig's server of cluster '${cluster.name}'`, value: cluster.server });
    if (cluster.caData !== undefined && cluster.caData !== "") {
      secrets.push({ what: `the kubeconfig's CA of cluster '${cluster.name}'`, value: cluster.caData });
    }
  }
  return secrets;
}

/** The secrets of an engine sandbox: its users' passwords and every SSO token it issued so far. */
export function ovirtSecrets(engine: OvirtSandbox): KnownSecret[] {
  const users = [...engine.control.engine.store.users.values()].map((u) => ({ what: `the password of ${u.principal}@${u.profile}`, value: u.password }));
  const tokens = engine.control.issuedTokens().map((value, i) => ({ what: `SSO token #${i + 1} the engine issued`, value }));
  return [...users, ...tokens];
}

/**
 * Exports the stack's state without `--show-secrets` and fails, naming
 * each one, when it holds any of `secrets`. Also checks the state has
 * resources, so an empty stack cannot pass for a clean one.
 */
export async function expectStateFreeOfSecrets(project: { exportState(): Promise<{ text: string; resources: ExportedResource[] }> }, secrets: readonly KnownSecret[]): Promise<void> {
  const state = await project.exportState();
  expect(state.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/vmpools:")).length, "the stack has no resources of this package to scan").toBeGreaterThan(0);
  expect(secrets.length, "no secrets to scan for").toBeGreaterThan(0);
  expect(findSecretsIn(state.text, secrets), "secrets found in `pulumi stack export`").toEqual([]);
}
