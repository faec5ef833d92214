/**
 * Read-only lookups of pools the oVirt backend makes when it must find out
 * what the engine did: a pool by name, and the jobs a create's correlation
 * id left (reference §6), which prove whose create made a pool.
 */
import type { ErrorContext } from "../../errors";
import type { OvirtClient } from "./client";
import { fromOvirtPool, type ObservedOvirtPool } from "./mapping";

/** The pool of exactly this name, if any (the engine's search ignores case). */
export async function findOvirtPoolByName(client: OvirtClient, ctx: ErrorContext, name: string): Promise<ObservedOvirtPool | undefined> {
  const answer = await client.call(ctx, "GET", "/vmpools", { query: { search: `name=${name}`, case_sensitive: "true" }, idempotent: true });
  const list = (answer.body as { vm_pool?: unknown[] } | undefined)?.vm_pool ?? [];
  return list.map(fromOvirtPool).find((p) => p.name === name);
}

/**
 * The engine's jobs of a correlation id that created a pool of this name:
 * finished ones, and failed ones (a create that made fewer VMs, or a
 * repeated POST refused because the first one had taken the name).
 */
export async function findOvirtCreateJobs(client: OvirtClient, ctx: ErrorContext, correlationId: string, name: string): Promise<{ finished: number; failed: number }> {
  const answer = await client.call(ctx, "GET", "/jobs", { query: { search: `correlation_id=${correlationId}` }, idempotent: true });
  const jobs = ((answer.body as { job?: { description?: string; status?: string }[] } | undefined)?.job ?? []).filter((j) => j.description?.startsWith(`Creating VM Pool ${name} from template`) === true);
  return { finished: jobs.filter((j) => j.status === "finished").length, failed: jobs.filter((j) => j.status !== "finished").length };
}
