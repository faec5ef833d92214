/**
 * A deployment engine that drives the package's dynamic providers the way
 * Pulumi's engine does, in-process, for the fault campaign: `check` with
 * the old inputs, `diff` against the old outputs, then `create`, `update`
 * (also to retry a resource whose create failed with an id, as Pulumi does
 * for "failed to initialize" resources), replacement (create before delete
 * unless the diff says otherwise), deletes of what left the program
 * (dependents first), and `read` for a refresh. Independent resources run
 * concurrently, as `pulumi up` runs them; a resource whose dependency
 * failed is skipped. The providers come from `pulumi-vmpools/runtime`, the
 * very object the serialized shims call.
 *
 * Why not the CLI: a CLI run costs 2-3 s of process start-up alone, and the
 * campaign needs two runs per iteration (faulty and clean) over 200
 * iterations plus checks in between; in-process, a run costs what the
 * engine calls cost. The CLI path itself is covered by the end-to-end tests.
 */
import { getResourceProvider, type RuntimeProvider } from "../../provider/runtime";

type Props = Record<string, unknown>;

/** The kinds the campaign deploys. */
export type Kind = "VmPool" | "PoolPermission";

/** One resource as the program declares it; `inputs` may depend on other resources' outputs. */
export interface DesiredResource {
  readonly urn: string;
  readonly kind: Kind;
  /** URNs this resource depends on: created first, deleted last. */
  readonly dependsOn: readonly string[];
  /** The inputs, from the outputs of the resources it depends on. */
  inputs(outputs: (urn: string) => Props): Props;
}

/** One resource in state. */
export interface StateEntry {
  readonly urn: string;
  readonly kind: Kind;
  readonly id: string;
  readonly inputs: Props;
  readonly outputs: Props;
  /** A create or update failed after the object existed ("failed to initialize"): the next `up` updates it. */
  readonly initError: boolean;
}

/** What one run did. */
export interface RunOutcome {
  /** Errors by URN; empty when the run succeeded. */
  readonly errors: ReadonlyMap<string, string>;
}

/** An error the provider threw with the id of what exists (`PoolInitError`), as the dynamic provider host reads it. */
function toInitFailure(err: unknown): { id: string; properties: Props } | undefined {
  if (typeof err !== "object" || err === null) {
    return undefined;
  }
  const { id, properties } = err as { id?: unknown; properties?: unknown };
  return typeof id === "string" && id !== "" ? { id, properties: typeof properties === "object" && properties !== null ? (properties as Props) : {} } : undefined;
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The state of one stack and the runs that change it. */
export class Deployment {
  private readonly state = new Map<string, StateEntry>();

  /** The resources in state. */
  entries(): StateEntry[] {
    return [...this.state.values()];
  }

  private provider(kind: Kind): RuntimeProvider {
    return getResourceProvider(kind);
  }

  private outputsOf(urn: string): Props {
    return this.state.get(urn)?.outputs ?? {};
  }

  /** Applies one resource; resolves with an error message, or undefined on success. */
  private async apply(resource: DesiredResource): Promise<string | undefined> {
    const provider = this.provider(resource.kind);
    const old = this.state.get(resource.urn);
    const news = resource.inputs((urn) => this.outputsOf(urn));
    const checked = await provider.check(old?.inputs ?? {}, news);
    if ((checked.failures ?? []).length > 0) {
      return `check: ${(checked.failures ?? []).map((f) => `${f.property}: ${f.reason}`).join("; ")}`;
    }
    const inputs = checked.inputs ?? news;
    try {
      if (old === undefined) {
        await this.create(resource, inputs);
        return undefined;
      }
      const diff = await provider.diff(old.id, old.outputs, inputs);
      if ((diff.replaces ?? []).length > 0) {
        if (diff.deleteBeforeReplace === true) {
          await provider.delete(old.id, old.outputs);
          this.state.delete(resource.urn);
          await this.create(resource, inputs);
        } else {
          await this.create(resource, inputs);
          // The new one holds the URN now; the old one goes after it, or
          // stays in state to be deleted by the next run, as Pulumi keeps
          // a replaced resource whose delete failed.
          const error = await this.remove({ ...old, urn: `${resource.urn}#replaced-${old.id}` }, true);
          if (error !== undefined) {
            throw new Error(`deleting the replaced ${old.id}: ${error}`);
          }
        }
        return undefined;
      }
      if (diff.changes === true || old.initError) {
        try {
          const result = await provider.update(old.id, old.outputs, inputs);
          this.state.set(resource.urn, { ...old, inputs, outputs: result.outs ?? {}, initError: false });
        } catch (err) {
          const init = toInitFailure(err);
          if (init !== undefined) {
            this.state.set(resource.urn, { ...old, inputs, outputs: init.properties, initError: true });
          }
          throw err;
        }
        return undefined;
      }
      this.state.set(resource.urn, { ...old, inputs });
      return undefined;
    } catch (err) {
      return describe(err);
    }
  }

  private async create(resource: DesiredResource, inputs: Props): Promise<void> {
    try {
      const result = await this.provider(resource.kind).create(inputs);
      this.state.set(resource.urn, { urn: resource.urn, kind: resource.kind, id: result.id, inputs, outputs: result.outs ?? {}, initError: false });
    } catch (err) {
      const init = toInitFailure(err);
      if (init !== undefined) {
        this.state.set(resource.urn, { urn: resource.urn, kind: resource.kind, id: init.id, inputs, outputs: init.properties, initError: true });
      }
      throw err;
    }
  }

  /** Deletes a resource; on failure it stays in state (under its URN, or as `entry.urn` when `keepOnFailure`). */
  private async remove(entry: StateEntry, keepOnFailure = false): Promise<string | undefined> {
    try {
      await this.provider(entry.kind).delete(entry.id, entry.outputs);
      this.state.delete(entry.urn);
      return undefined;
    } catch (err) {
      if (keepOnFailure) {
        this.state.set(entry.urn, entry);
      }
      return describe(err);
    }
  }

  /**
   * `pulumi up` of `program`: resources in dependency waves, each wave
   * concurrently; then what left the program, dependents first. Stops
   * deleting when a wave failed, as the engine stops scheduling steps.
   */
  async up(program: readonly DesiredResource[]): Promise<RunOutcome> {
    const errors = new Map<string, string>();
    const done = new Set<string>();
    let pending = [...program];
    while (pending.length > 0) {
      const wave = pending.filter((r) => r.dependsOn.every((d) => done.has(d) || errors.has(d) || !program.some((p) => p.urn === d)));
      if (wave.length === 0) {
        throw new Error(`dependency cycle among ${pending.map((r) => r.urn).join(", ")}`);
      }
      await Promise.all(
        wave.map(async (resource) => {
          const failed = resource.dependsOn.find((d) => errors.has(d));
          const error = failed !== undefined ? `skipped: ${failed} failed` : await this.apply(resource);
          if (error === undefined) {
            done.add(resource.urn);
          } else {
            errors.set(resource.urn, error);
          }
        }),
      );
      pending = pending.filter((r) => !wave.includes(r));
    }
    if (errors.size === 0) {
      const wanted = new Set(program.map((r) => r.urn));
      await this.deleteWaves(this.entries().filter((e) => !wanted.has(e.urn)), errors);
    }
    return { errors };
  }

  /** `pulumi destroy`: every resource, permissions before pools. */
  async destroy(): Promise<RunOutcome> {
    const errors = new Map<string, string>();
    await this.deleteWaves(this.entries(), errors);
    return { errors };
  }

  private async deleteWaves(entries: readonly StateEntry[], errors: Map<string, string>): Promise<void> {
    for (const kind of ["PoolPermission", "VmPool"] as const) {
      await Promise.all(
        entries
          .filter((e) => e.kind === kind)
          .map(async (entry) => {
            const error = await this.remove(entry);
            if (error !== undefined) {
              errors.set(entry.urn, error);
            }
          }),
      );
      if (errors.size > 0) {
        return;
      }
    }
  }

  /** `pulumi refresh`: reads each resource; one gone from the backend leaves state. */
  async refresh(): Promise<RunOutcome> {
    const errors = new Map<string, string>();
    await Promise.all(
      this.entries().map(async (entry) => {
        try {
          const result = await this.provider(entry.kind).read(entry.id, entry.outputs);
          if (result.id === undefined || result.id === "") {
            this.state.delete(entry.urn);
          } else {
            // A read that succeeds clears "failed to initialize", as Pulumi's refresh does.
            this.state.set(entry.urn, { ...entry, id: result.id, outputs: result.props ?? entry.outputs, inputs: result.inputs ?? entry.inputs, initError: false });
          }
        } catch (err) {
          errors.set(entry.urn, describe(err));
        }
      }),
    );
    return { errors };
  }
}
