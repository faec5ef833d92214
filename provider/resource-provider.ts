/**
 * The one dynamic resource provider behind every resource of this package.
 * A resource is described by a {@link ResourceDefinition} (schema, defaults,
 * pure diff, and how to reach its backend); validation and diff happen here,
 * every backend call is delegated. It knows nothing of KubeVirt or oVirt.
 */
import type * as dynamic from "@pulumi/pulumi/dynamic";
import type { z } from "zod";

import { checkInputs, findUnknownPaths } from "./check";
import type { ProviderSettings } from "./config/settings";
import { showPreviewNotices, type NoticeSink } from "./preview-notices";
import type { ResourceBackend } from "./resource-backend";

/** Pulumi's `DiffResult` as our pure diffs produce it. */
export interface PlannedDiff {
  /** Whether anything changed. */
  changes: boolean;
  /** Top-level properties whose change forces a replacement. */
  replaces: string[];
  /** Delete the old object before creating the new one (their names would collide). */
  deleteBeforeReplace: boolean;
}

/** What the provider needs to know about one kind of resource. */
export interface ResourceDefinition<I extends { backend: { kind: string } }, S> {
  /** The single source of the inputs' shape, defaults and rules. */
  readonly schema: z.ZodType<I>;
  /**
   * Fills in defaults on inputs that did not parse (they hold preview
   * unknowns or errors), so state and diffs show them anyway. `given` are the
   * inputs as the program sent them.
   */
  applyDefaults(raw: Record<string, unknown>, given: Record<string, unknown>): Record<string, unknown>;
  /** Pure: compares the stored state with the checked inputs. */
  diff(olds: Record<string, unknown>, news: Record<string, unknown>): PlannedDiff;
  /** The backend the resource lives on (its `backend.kind`, through its `backend.connection`). */
  backend(resource: Pick<I, "backend">, settings: ProviderSettings): ResourceBackend<I, S>;
}

/** Drops `__provider`, which the dynamic provider host adds to inputs and outputs; never ours to validate. */
export function withoutHostKeys(props: Record<string, unknown>): Record<string, unknown> {
  const { __provider: _serialized, ...rest } = props;
  return rest;
}

type Props = Record<string, unknown>;

/**
 * A copy of `value` without `undefined` members, at any depth. The dynamic
 * provider host encodes results as protobuf Structs, which have no undefined:
 * one nested `{ cluster: undefined }` fails the whole operation with
 * "Unexpected struct type", after the backend has done its work.
 * Example: `{ a: 1, b: undefined, c: [{ d: undefined }] }` -> `{ a: 1, c: [{}] }`.
 */
export function toWireObject(value: object): Props {
  return JSON.parse(JSON.stringify(value)) as Props;
}

/** A dynamic provider for one {@link ResourceDefinition}. */
export class SchemaResourceProvider<I extends { backend: { kind: string } }, S extends Pick<I, "backend">> implements dynamic.ResourceProvider<Props, Props> {
  constructor(
    private readonly definition: ResourceDefinition<I, S>,
    private readonly getSettings: () => ProviderSettings,
    /** Where the backend's notices about a planned change go. @default warnings in the Pulumi CLI's output */
    private readonly notify: NoticeSink = showPreviewNotices,
  ) {}

  /**
   * Reports every problem in the inputs as a failure; never throws. Valid,
   * fully known inputs are then verified read-only against the backend
   * (references exist, a change is safe) unless `verifyReferences` is off;
   * nothing is ever changed here. What the backend notes about the planned
   * change is shown as warnings, when nothing failed.
   */
  async check(olds: Props, news: Props): Promise<dynamic.CheckResult<Props>> {
    const given = withoutHostKeys(news);
    const outcome = checkInputs(this.definition.schema, given);
    const inputs = this.definition.applyDefaults({ ...outcome.inputs }, given);
    const parsed = outcome.valid;
    if (parsed === undefined || findUnknownPaths(parsed).length > 0 || !this.getSettings().verifyReferences) {
      return { inputs, failures: outcome.failures };
    }
    const previous = this.definition.schema.safeParse(withoutHostKeys(olds));
    try {
      const backend = this.definition.backend(parsed, this.getSettings());
      const notices: string[] = [];
      const failures = (await backend.verify?.(parsed, previous.success ? previous.data : undefined, (message) => notices.push(message))) ?? [];
      if (failures.length === 0) {
        await this.notify(notices);
      }
      return { inputs, failures };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      return {
        inputs,
        failures: [{ property: "backend", reason: `could not be verified against the ${parsed.backend.kind} backend (${message}); set 'vmpools:verifyReferences' to false to skip this check in previews without access to it` }],
      };
    }
  }

  /** Pure: compares the stored state with the checked inputs. */
  async diff(_id: string, olds: Props, news: Props): Promise<dynamic.DiffResult> {
    return this.definition.diff(olds, news);
  }

  /** Creates the object; on failure nothing is left behind unless the error carries the id. */
  async create(inputs: Props): Promise<dynamic.CreateResult<Props>> {
    const parsed = this.toInputs(inputs);
    const snapshot = await this.definition.backend(parsed, this.getSettings()).create(parsed);
    return { id: snapshot.id, outs: toWireObject(snapshot.state) };
  }

  /** Reads the live object; an empty result tells Pulumi it is gone. */
  async read(id: string, props: Props | undefined): Promise<dynamic.ReadResult<Props>> {
    if (props === undefined) {
      throw new Error("read needs the stored state: 'pulumi import' and get() do not work for dynamic resources (pulumi/pulumi#7534)");
    }
    const previous = withoutHostKeys(props) as unknown as S;
    const snapshot = await this.definition.backend(previous, this.getSettings()).read(id, previous);
    if (snapshot === undefined) {
      return {};
    }
    return { id: snapshot.id, props: toWireObject(snapshot.state), inputs: toWireObject(snapshot.inputs) };
  }

  /** Changes the object in place. */
  async update(id: string, olds: Props, news: Props): Promise<dynamic.UpdateResult<Props>> {
    const previous = withoutHostKeys(olds) as unknown as S;
    const parsed = this.toInputs(news);
    const snapshot = await this.definition.backend(parsed, this.getSettings()).update(id, previous, parsed);
    return { outs: toWireObject(snapshot.state) };
  }

  /** Deletes what this resource created and waits until it is gone; not-found is success. */
  async delete(id: string, props: Props): Promise<void> {
    const previous = withoutHostKeys(props) as unknown as S;
    await this.definition.backend(previous, this.getSettings()).delete(id, previous);
  }

  /** Parses inputs that `check()` already accepted; throws if they no longer parse (a bug, not user error). */
  private toInputs(props: Props): I {
    return this.definition.schema.parse(withoutHostKeys(props));
  }
}

