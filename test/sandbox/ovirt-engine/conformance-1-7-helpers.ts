/**
 * Small helpers shared by the conformance tests: SSO form posts, creating a
 * pool from the default seed, and typed views of JSON answers.
 */
import { expect } from "vitest";

import type { RawResponse, RequestOptions, TestSandbox } from "./sandbox-client";

/** A JSON object answer. */
export type JsonObject = Record<string, unknown>;

/** The body of an answer as a JSON object (fails the test when it is not one). */
export function bodyOf(res: RawResponse): JsonObject {
  expect(typeof res.json === "object" && res.json !== null && !Array.isArray(res.json), `expected a JSON object, got ${res.status} '${res.text}'`).toBe(true);
  return res.json as JsonObject;
}

/** The items of a collection answer `{"<singular>": [...]}` (`{}` is empty). */
export function itemsOf(res: RawResponse, singular: string): JsonObject[] {
  const body = bodyOf(res);
  expect(Object.keys(body).filter((k) => k !== singular)).toEqual([]);
  return (body[singular] ?? []) as JsonObject[];
}

/** `POST /ovirt-engine/sso/oauth/token` with URL-encoded fields and, by default, `Accept: application/json`. */
export function ssoToken(t: TestSandbox, fields: Record<string, string>, headers: Record<string, string> = { Accept: "application/json" }): Promise<RawResponse> {
  return t.raw("POST", "/ovirt-engine/sso/oauth/token", {
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

/** The password grant for the REST API scope. */
export function passwordGrant(username: string, password: string, scope = "ovirt-app-api"): Record<string, string> {
  return { grant_type: "password", scope, username, password };
}

/** A pool body on the default seed's cluster and template. */
export function poolBody(name: string, extra: JsonObject = {}): JsonObject {
  return { name, cluster: { name: "Default" }, template: { name: "rhel9-desktop" }, ...extra };
}

/** Creates a pool (expects 201) and returns its body. */
export async function createPool(t: TestSandbox, name: string, extra: JsonObject = {}, options: RequestOptions = {}): Promise<JsonObject> {
  const res = await t.api("POST", "/vmpools", { ...options, body: poolBody(name, extra) });
  expect(res.status, res.text).toBe(201);
  return bodyOf(res);
}

/** A well-formed id that no entity has. */
export const MISSING_ID = "0badc0de-0000-4000-8000-000000000404";
