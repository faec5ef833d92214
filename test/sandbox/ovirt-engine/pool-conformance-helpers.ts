/**
 * Shared pieces of the §2/§3 conformance tests: the JSON shapes the engine
 * answers with, a sandbox on a manual clock, and small request helpers.
 */
import { expect } from "vitest";

import { ManualClock } from "../../../sandbox/ovirt-engine/clock";
import type { SandboxOptions } from "../../../sandbox/ovirt-engine/server";
import { startTestSandbox, type RawResponse, type TestSandbox } from "./sandbox-client";

/** A reference `{id, href}`. */
export interface Link {
  id: string;
  href: string;
}

/** A VM as `GET /vms` renders it (the attributes these tests read). */
export interface VmJson {
  id: string;
  href: string;
  name: string;
  status: string;
  stateless: boolean;
  delete_protected: boolean;
  template: Link;
  vm_pool?: Link;
}

/** A pool as `GET /vmpools/{id}` renders it. */
export interface PoolJson {
  id: string;
  href: string;
  name: string;
  description?: string;
  comment?: string;
  size: number;
  prestarted_vms: number;
  max_user_vms: number;
  type: string;
  stateful: boolean;
  auto_storage_select: boolean;
  use_latest_template_version: boolean;
  soundcard_enabled?: boolean;
  tpm_enabled?: boolean;
  cluster: Link;
  template?: Link;
  vm?: VmJson;
}

/** The engine's fault body. */
export interface FaultJson {
  reason: string;
  detail: string;
}

/** Starts a sandbox on a manual clock, over plain HTTP, without the periodic prestart monitor unless asked. */
export async function startManualSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  return startTestSandbox({ tls: false, clock: new ManualClock(), prestartMonitor: false, ...options });
}

/** A create body on the default cluster and template. */
export function poolBody(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, cluster: { name: "Default" }, template: { name: "rhel9-desktop" }, ...extra };
}

/** `POST /vmpools`, expecting 201; returns the pool. */
export async function createPool(t: TestSandbox, name: string, extra: Record<string, unknown> = {}): Promise<PoolJson> {
  const res = await t.api("POST", "/vmpools", { body: poolBody(name, extra) });
  expect(res.status, res.text).toBe(201);
  return res.json as PoolJson;
}

/** `GET /vmpools/{id}`, expecting 200. */
export async function getPool(t: TestSandbox, id: string): Promise<PoolJson> {
  const res = await t.api("GET", `/vmpools/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.json as PoolJson;
}

/** `GET /vms?search=pool=<name>`: the pool's VMs (an empty collection is `{}`). */
export async function poolVms(t: TestSandbox, poolName: string): Promise<VmJson[]> {
  const res = await t.api("GET", `/vms?search=${encodeURIComponent(`pool=${poolName}`)}`);
  expect(res.status, res.text).toBe(200);
  return (res.json as { vm?: VmJson[] }).vm ?? [];
}

/** `GET /vms?search=name=<name>`: the VM of that name, or undefined. */
export async function vmByName(t: TestSandbox, name: string): Promise<VmJson | undefined> {
  const res = await t.api("GET", `/vms?search=${encodeURIComponent(`name=${name}`)}`);
  expect(res.status, res.text).toBe(200);
  return (res.json as { vm?: VmJson[] }).vm?.[0];
}

/** Names and statuses of a pool's VMs, sorted by name. */
export async function vmStatuses(t: TestSandbox, poolName: string): Promise<[string, string][]> {
  return (await poolVms(t, poolName)).map((vm): [string, string] => [vm.name, vm.status]).sort(([a], [b]) => a.localeCompare(b));
}

/** Asserts a backend failure: the status and `fault {reason: "Operation Failed", detail}`. */
export function expectOperationFailed(res: RawResponse, status: number, detail: string): void {
  expect({ status: res.status, body: res.json }).toEqual({ status, body: { reason: "Operation Failed", detail } });
}

/** Asserts a failed action: the status and the echoed action with `status: "failed"` and a nested fault. */
export function expectFailedAction(res: RawResponse, status: number, detail: string): void {
  expect({ status: res.status, body: res.json }).toEqual({ status, body: { status: "failed", fault: { reason: "Operation Failed", detail } } });
}

/** Asserts a 404 with an empty body. */
export function expectBare404(res: RawResponse): void {
  expect({ status: res.status, text: res.text }).toEqual({ status: 404, text: "" });
}

/** A name of `length` characters made of `prefix` and `x` filler. */
export function longName(prefix: string, length: number): string {
  return prefix + "x".repeat(length - prefix.length);
}
