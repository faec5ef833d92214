/**
 * A minimal HTTP client for the conformance tests: raw status, headers and
 * body, so every test asserts exactly what the sandbox sent. It trusts the
 * sandbox's own CA, as a real client given the CA file would.
 */
import * as https from "node:https";
import * as http from "node:http";

import { startOvirtSandbox, type OvirtSandbox, type SandboxOptions } from "../../../sandbox/ovirt-engine/server";

/** A raw answer. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as text ("" when empty). */
  text: string;
  /** The body parsed as JSON, or undefined when empty or not JSON. */
  json: unknown;
}

/** Options of one request. */
export interface RequestOptions {
  /** JSON body (objects are serialized; strings sent as they are). */
  body?: unknown;
  /** Extra or overriding headers. */
  headers?: Record<string, string>;
  /** How to authenticate: a Bearer token for a user (default admin), Basic, or none. */
  auth?: { bearer: string } | { basic: [string, string] } | "none";
}

/** A sandbox plus a client for it. */
export interface TestSandbox {
  sandbox: OvirtSandbox;
  /** Any request to a path on the sandbox's origin (e.g. `/ovirt-engine/api/vmpools`). */
  raw(method: string, path: string, options?: RequestOptions): Promise<RawResponse>;
  /** A request below `/ovirt-engine/api` with JSON headers, as the admin (Bearer) unless told otherwise. */
  api(method: string, path: string, options?: RequestOptions): Promise<RawResponse>;
  /** An SSO token for a profile login such as `alice@internal`. */
  token(username: string, password: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a sandbox for a test file. */
export async function startTestSandbox(sandboxOptions: SandboxOptions = {}): Promise<TestSandbox> {
  const sandbox = await startOvirtSandbox(sandboxOptions);
  const agent = sandbox.caPem === undefined ? undefined : new https.Agent({ ca: sandbox.caPem, keepAlive: false });
  const raw = (method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, sandbox.origin);
      const payload = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      if (payload !== undefined) {
        headers["Content-Length"] = String(Buffer.byteLength(payload));
      }
      const auth = options.auth;
      if (auth !== undefined && auth !== "none") {
        headers["Authorization"] = "bearer" in auth ? `Bearer ${auth.bearer}` : `Basic ${Buffer.from(auth.basic.join(":")).toString("base64")}`;
      }
      const lib = url.protocol === "https:" ? https : http;
      const req = lib.request(url, { method, headers, ...(agent === undefined ? {} : { agent }) }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          let json: unknown;
          try {
            json = text === "" ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      });
      req.on("error", reject);
      if (payload !== undefined) {
        req.write(payload);
      }
      req.end();
    });
  const token = async (username: string, password: string): Promise<string> => {
    const res = await raw("POST", "/ovirt-engine/sso/oauth/token", {
      headers: { Accept: "application/json", "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "password", scope: "ovirt-app-api", username, password }).toString(),
    });
    const body = res.json as { access_token?: string } | undefined;
    if (res.status !== 200 || body?.access_token === undefined) {
      throw new Error(`SSO login of ${username} failed: ${res.status} ${res.text}`);
    }
    return body.access_token;
  };
  const adminToken = await token(sandbox.credentials.username, sandbox.credentials.password);
  const api = (method: string, path: string, options: RequestOptions = {}): Promise<RawResponse> =>
    raw(method, `/ovirt-engine/api${path}`, {
      ...options,
      headers: { Accept: "application/json", ...(options.body === undefined ? {} : { "Content-Type": "application/json" }), ...(options.headers ?? {}) },
      auth: options.auth ?? { bearer: adminToken },
    });
  return { sandbox, raw, api, token, close: () => sandbox.close() };
}

/** Waits until `probe` returns true, polling every 5 ms, at most `timeoutMs`. */
export async function eventually(probe: () => Promise<boolean> | boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met within ${timeoutMs} ms`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
}
