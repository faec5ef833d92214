/**
 * Small shared pieces of the §4–§6 conformance tests (conformance-4-*,
 * conformance-5-*, conformance-6-*): the JSON shapes they read and a
 * pool-creating step. Assertions stay in the tests.
 */
import { expect } from "vitest";

import type { RawResponse, TestSandbox } from "./sandbox-client";

/** A reference `{id, href}`. */
export interface Link {
  id: string;
  href: string;
}

/** The engine's fault body. */
export interface Fault {
  reason: string;
  detail: string;
}

/** The fault of a backend validation or execution failure with the given translated messages. */
export function operationFailed(...messages: string[]): Fault {
  return { reason: "Operation Failed", detail: `[${messages.join(", ")}]` };
}

/** A permission as the API renders it. */
export interface PermissionJson {
  id: string;
  href: string;
  role: Link;
  user?: Link;
  group?: Link;
  vm_pool?: Link;
  cluster?: Link;
  data_center?: Link;
  vm?: Link;
}

/** A VM as the API renders it (the fields these tests read). */
export interface VmJson {
  id: string;
  name: string;
  status: string;
}

/** A collection body: `{}` when empty, `{<singular>: [...]}` otherwise. */
export function items<T>(res: RawResponse, singular: string): T[] {
  const body = res.json as Record<string, T[] | undefined>;
  return body[singular] ?? [];
}

/** Creates a pool from the seeded template in a cluster (default "Default") and returns its id; asserts the 201. */
export async function createPoolId(t: TestSandbox, name: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<string> {
  const res = await t.api("POST", "/vmpools", { body: { name, cluster: { name: "Default" }, template: { name: "rhel9-desktop" }, size: 1, ...extra }, headers });
  expect(res.status, res.text).toBe(201);
  return (res.json as { id: string }).id;
}

/** The VMs of a pool, by the engine's `pool=` search. */
export async function poolVms(t: TestSandbox, poolName: string): Promise<VmJson[]> {
  const res = await t.api("GET", `/vms?search=${encodeURIComponent(`pool=${poolName}`)}`);
  expect(res.status).toBe(200);
  return items<VmJson>(res, "vm");
}
