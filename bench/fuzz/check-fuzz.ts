/**
 * Property-based fuzzing of `check()` of every resource (`VmPool`,
 * `TrustedCluster`, `PoolPermission`) with fast-check: valid inputs of both
 * backends mutated at random (values replaced by anything Pulumi can send,
 * preview unknowns included, keys dropped or added) and wholly random
 * objects, with old inputs or without. Properties:
 *
 * - `check()` never throws;
 * - every failure names a property: a non-empty dotted path whose first
 *   part is an input of the resource or a key the inputs hold, and a reason;
 * - nothing is written to any API, and nothing at all is sent when the
 *   inputs break the schema (the backends are an engine sandbox and a
 *   Kubernetes API stand-in that count every request).
 */
import { performance } from "node:perf_hooks";

import fc from "fast-check";
import type { z } from "zod";

import type { CheckFailure } from "../../provider/check";
import { checkInputs } from "../../provider/check";
import { PoolPermissionProvider, POOL_PERMISSION_DEFINITION } from "../../provider/pool-permission-provider";
import { TrustedClusterProvider, TRUSTED_CLUSTER_DEFINITION } from "../../provider/trusted-cluster-provider";
import { VmPoolProvider, VM_POOL_DEFINITION } from "../../provider/vm-pool-provider";
import type { ProviderSettings } from "../../provider/config/settings";
import { FUZZ_SEEDS, fuzzValue, type Props } from "./fuzz-inputs";

/** Requests the backends received since the last reset, by method. */
export interface RequestCounter {
  reset(): void;
  /** Requests of any method. */
  total(): number;
  /** POST, PUT, PATCH and DELETE. */
  writes(): number;
}

/** One resource under test. */
interface Target {
  readonly name: keyof typeof FUZZ_SEEDS;
  check(olds: Props, news: Props): Promise<{ failures?: CheckFailure[] }>;
  /** Whether the schema alone rejects the inputs (then nothing may be sent). */
  breaksSchema(news: Props): boolean;
  /** Top-level input keys of the resource. */
  readonly keys: ReadonlySet<string>;
}

/** What one resource's fuzzing saw. */
export interface FuzzTargetReport {
  readonly resource: string;
  /** Inputs checked. */
  readonly inputs: number;
  /** Inputs `check()` accepted, and those it reported failures for. */
  readonly accepted: number;
  readonly rejected: number;
  /** Failures reported in all. */
  readonly failures: number;
  /** The first counterexample when a property broke, shrunk by fast-check. */
  readonly counterexample: string | undefined;
  /** Time taken, ms. */
  readonly durationMs: number;
}

function topLevelKeys(schema: unknown, seeds: readonly Props[]): Set<string> {
  // zod 4 keeps refinements on the object schema itself, so its shape is there.
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return new Set([...Object.keys(shape ?? {}), ...seeds.flatMap((s) => Object.keys(s))]);
}

/** The three providers with the given settings; preview notices are dropped. */
function targets(getSettings: () => ProviderSettings): Target[] {
  const make = (name: keyof typeof FUZZ_SEEDS, provider: { check(olds: Props, news: Props): Promise<{ failures?: CheckFailure[] }> }, schema: z.ZodType): Target => ({
    name,
    check: (olds, news) => provider.check(olds, news),
    breaksSchema: (news) => checkInputs(schema, news).failures.length > 0,
    keys: topLevelKeys(schema, FUZZ_SEEDS[name]),
  });
  return [
    make("VmPool", new VmPoolProvider(getSettings, async () => undefined), VM_POOL_DEFINITION.schema),
    make("TrustedCluster", new TrustedClusterProvider(getSettings), TRUSTED_CLUSTER_DEFINITION.schema),
    make("PoolPermission", new PoolPermissionProvider(getSettings), POOL_PERMISSION_DEFINITION.schema),
  ];
}

/** Why a failure does not name a property, or undefined when it does. */
export function describeBadFailure(failure: unknown, keys: ReadonlySet<string>, news: Props): string | undefined {
  if (typeof failure !== "object" || failure === null) {
    return `a failure that is not an object: ${JSON.stringify(failure)}`;
  }
  const { property, reason } = failure as { property?: unknown; reason?: unknown };
  if (typeof property !== "string" || property === "") {
    return `a failure without a property: ${JSON.stringify(failure)}`;
  }
  // The first part names an input or a key of the inputs: `backend.x`, a key
  // with dots of its own (`a.b`), or a quoted one (`[""]`).
  const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(property);
  const named = [...keys, ...Object.keys(news)].some((key) => property === key || property.startsWith(`${key}.`) || property.startsWith(`${key}[`) || (quoted?.[1] !== undefined && JSON.parse(quoted[1]) === key));
  if (!named) {
    return `a failure whose property '${property}' is neither an input nor a key of the inputs`;
  }
  if (typeof reason !== "string" || reason.trim() === "") {
    return `a failure of '${property}' without a reason`;
  }
  return undefined;
}

/**
 * Fuzzes each resource's `check()` with `runs` inputs; resolves with a
 * report per resource (a counterexample when a property broke).
 */
export async function fuzzCheck(options: { runs: number; seed: number; settings: () => ProviderSettings; counter: RequestCounter; verifyReferences: boolean }): Promise<FuzzTargetReport[]> {
  const reports: FuzzTargetReport[] = [];
  for (const target of targets(options.settings)) {
    const started = performance.now();
    let inputs = 0;
    let accepted = 0;
    let rejected = 0;
    let failures = 0;
    const property = fc.asyncProperty(fuzzValue(target.name), fc.boolean(), async (news, withOlds) => {
      const olds: Props = withOlds ? FUZZ_SEEDS[target.name][0] : {};
      options.counter.reset();
      let result: { failures?: CheckFailure[] };
      try {
        result = await target.check(olds, news);
      } catch (err) {
        throw new Error(`check() threw: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      }
      const found = result.failures ?? [];
      inputs++;
      failures += found.length;
      if (found.length === 0) {
        accepted++;
      } else {
        rejected++;
      }
      for (const failure of found) {
        const bad = describeBadFailure(failure, target.keys, news);
        if (bad !== undefined) {
          throw new Error(bad);
        }
      }
      if (options.counter.writes() > 0) {
        throw new Error(`check() sent ${options.counter.writes()} write request(s)`);
      }
      if ((!options.verifyReferences || target.breaksSchema(news)) && options.counter.total() > 0) {
        throw new Error(`check() sent ${options.counter.total()} request(s) for inputs ${options.verifyReferences ? "the schema rejects" : "with verifyReferences off"}`);
      }
    });
    const outcome = await fc.check(property, { numRuns: options.runs, seed: options.seed });
    reports.push({
      resource: target.name,
      inputs,
      accepted,
      rejected,
      failures,
      durationMs: performance.now() - started,
      counterexample: outcome.failed ? `${outcome.errorInstance instanceof Error ? outcome.errorInstance.message : String(outcome.errorInstance)} for ${JSON.stringify(outcome.counterexample)}` : undefined,
    });
  }
  return reports;
}
