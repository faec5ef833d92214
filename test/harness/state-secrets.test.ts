/**
 * The secret scan every example's test relies on finds a secret in any form
 * it could take in exported state, and reads every secret a kubeconfig
 * carries, so an example test cannot pass by scanning for nothing.
 */
import { describe, expect, it } from "vitest";

import { findSecretsIn, kubeconfigSecrets } from "./state-secrets";

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: lab
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: Y2EtZGF0YS1mb3ItdGhlLXRlc3Q=
users:
- name: admin
  user:
    token: very-secret-token
contexts:
- name: lab
  context: { cluster: lab, user: admin }
current-context: lab
`;

describe("the state secret scan", () => {
  const secret = { what: "the token", value: "very-secret-token" };

  it.each([
    ["as is", '{"outputs":{"x":"very-secret-token"}}'],
    ["base64", `{"x":"${Buffer.from("very-secret-token").toString("base64")}"}`],
    ["URL-encoded", `{"x":"${encodeURIComponent("very-secret-token")}"}`],
  ])("finds a secret written %s", (_form, text) => {
    expect(findSecretsIn(text, [secret])).toEqual(["the token"]);
  });

  it("finds a multi-line secret (a kubeconfig) written JSON-escaped", () => {
    const doc = { what: "the document", value: "apiVersion: v1\nkind: Config\n" };
    expect(findSecretsIn(JSON.stringify({ outputs: { kubeconfig: doc.value } }), [doc])).toEqual(["the document"]);
  });

  it("finds nothing in clean state, and ignores values too short to be told from chance", () => {
    expect(findSecretsIn('{"outputs":{"size":2,"ok":true}}', [secret, { what: "a short one", value: "true" }])).toEqual([]);
  });

  it("reads the document, the token, the server and the CA from a kubeconfig", () => {
    expect(kubeconfigSecrets(KUBECONFIG).map((s) => [s.what, s.value])).toEqual([
      ["the kubeconfig document", KUBECONFIG.trim()],
      ["the kubeconfig's token of user 'admin'", "very-secret-token"],
      ["the kubeconfig's server of cluster 'lab'", "https://127.0.0.1:6443"],
      ["the kubeconfig's CA of cluster 'lab'", "Y2EtZGF0YS1mb3ItdGhlLXRlc3Q="],
    ]);
  });
});
