/**
 * How every policy of the pack is built: a data object with a name, a
 * description, a severity, a default enforcement level and a typed
 * configuration whose zod schema is the single source of both the JSON
 * schema the engine validates `--policy-pack-config` against (with the
 * defaults it fills in) and the typed value each check receives.
 *
 * Resources are matched by their type token, compared with `args.type`:
 * `validateResourceOfType(VmPool, ...)` would never fire for a
 * `dynamic.Resource`, which has no static `__pulumiType` (house style §4).
 */
import type { EnforcementLevel, PolicyConfigSchema, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, Severity, StackValidationArgs, StackValidationPolicy } from "@pulumi/policy";
import { z } from "zod";

import { toPlainProps, type PlainProps } from "./inputs";

/** A policy's configuration schema: a strict object whose every field has a default. */
export type ConfigSchema = z.ZodObject;

/** What every policy of the pack declares. */
export interface PolicyDefinition<S extends ConfigSchema> {
  /** Kebab-case, the same as the rule's file name. */
  readonly name: string;
  /** "Checks whether ...". */
  readonly description: string;
  /** How bad a violation is. */
  readonly severity: Severity;
  /** The level when the config says nothing. */
  readonly enforcementLevel: EnforcementLevel;
  /** The typed configuration, with its defaults. */
  readonly config: S;
  /** How to fix a violation, shown by the engine with it. */
  readonly remediationSteps: string;
}

/** A resource as a resource policy sees it: inputs copied with unknowns marked. */
export interface ReviewedResource {
  /** Type token. */
  readonly type: string;
  /** The Pulumi resource name. */
  readonly name: string;
  /** The resource's URN. */
  readonly urn: string;
  /** The inputs `check()` returned (defaults applied), unknowns as `UNKNOWN`. */
  readonly props: PlainProps;
  /** Whether the `protect` resource option is set. */
  readonly protect: boolean;
}

/** A resource as a stack policy sees it: outputs, plus what it depends on. */
export interface StackResource extends ReviewedResource {
  /** URNs of the resources this one depends on. */
  readonly dependencies: readonly string[];
  /** URNs each input property depends on. */
  readonly propertyDependencies: Readonly<Record<string, readonly string[]>>;
}

/** Reports one violation; stack policies name the resource by URN. */
export type Report = (message: string, urn?: string) => void;

/** A resource policy of this pack, with its typed configuration. */
export interface PackResourcePolicy<S extends ConfigSchema = ConfigSchema> extends ResourceValidationPolicy {
  /** The zod schema of the configuration. */
  readonly config: S;
  /** The type token it checks. */
  readonly resourceType: string;
}

/** A stack policy of this pack, with its typed configuration. */
export interface PackStackPolicy<S extends ConfigSchema = ConfigSchema> extends StackValidationPolicy {
  /** The zod schema of the configuration. */
  readonly config: S;
}

/** Any policy of this pack. */
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

/**
 * The JSON schema the engine checks a policy's config against and takes
 * defaults from (`{ properties, required }`); undefined for a policy
 * without settings. Example: `maxVmsInPool: z.number().int().min(1).default(1000)`
 * -> `{ properties: { maxVmsInPool: { type: "integer", minimum: 1, default: 1000, ... } } }`.
 */
export function toPolicyConfigSchema(schema: ConfigSchema): PolicyConfigSchema | undefined {
  const json = z.toJSONSchema(schema, { io: "input", target: "draft-7" });
  const properties = json.properties ?? {};
  if (Object.keys(properties).length === 0) {
    return undefined;
  }
  // zod's draft-7 output is the JSON Schema subset @pulumi/policy types.
  return { properties: properties as PolicyConfigSchema["properties"], ...(json.required === undefined || json.required.length === 0 ? {} : { required: json.required }) };
}

/**
 * A policy's configuration from the engine, validated and with defaults.
 * The engine checks types and ranges against {@link toPolicyConfigSchema},
 * but not unknown keys; a misspelt setting fails here, loudly, instead of
 * being ignored.
 */
export function parsePolicyConfig<S extends ConfigSchema>(policyName: string, schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => (issue.path.length === 0 ? issue.message : `${issue.path.join(".")}: ${issue.message}`));
    throw new Error(`the configuration of policy '${policyName}' is invalid: ${problems.join("; ")}`);
  }
  return parsed.data;
}

function common<S extends ConfigSchema>(definition: PolicyDefinition<S>): Pick<PackResourcePolicy<S>, "name" | "description" | "severity" | "enforcementLevel" | "config" | "remediationSteps" | "configSchema"> {
  const configSchema = toPolicyConfigSchema(definition.config);
  return {
    name: definition.name,
    description: definition.description,
    severity: definition.severity,
    enforcementLevel: definition.enforcementLevel,
    remediationSteps: definition.remediationSteps,
    config: definition.config,
    ...(configSchema === undefined ? {} : { configSchema }),
  };
}

/** Defines a policy that checks each resource of one type, before its step. */
export function defineResourcePolicy<S extends ConfigSchema>(
  definition: PolicyDefinition<S> & {
    /** The type token checked, e.g. `VM_POOL_TYPE`. */
    readonly resourceType: string;
    /** Reports every violation of one resource. */
    check(resource: ReviewedResource, config: z.infer<S>, report: (message: string) => void): void;
  },
): PackResourcePolicy<S> {
  return {
    ...common(definition),
    resourceType: definition.resourceType,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      if (args.type !== definition.resourceType) {
        args.notApplicable(`checks ${definition.resourceType} only`);
      }
      const config = parsePolicyConfig(definition.name, definition.config, args.getConfig());
      const resource: ReviewedResource = { type: args.type, name: args.name, urn: args.urn, props: toPlainProps(args.props), protect: args.opts.protect };
      definition.check(resource, config, (message) => {
        reportViolation(message);
      });
    },
  };
}

/** Defines a policy that checks the stack as a whole, after every step. */
export function defineStackPolicy<S extends ConfigSchema>(
  definition: PolicyDefinition<S> & {
    /** Reports every violation, each with the URN of the resource it is about. */
    check(resources: readonly StackResource[], config: z.infer<S>, report: Report): void;
  },
): PackStackPolicy<S> {
  return {
    ...common(definition),
    validateStack: (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const config = parsePolicyConfig(definition.name, definition.config, args.getConfig());
      const resources: StackResource[] = args.resources.map((r) => ({
        type: r.type,
        name: r.name,
        urn: r.urn,
        props: toPlainProps(r.props),
        protect: r.opts.protect,
        dependencies: r.dependencies.map((d) => d.urn),
        propertyDependencies: Object.fromEntries(Object.entries(r.propertyDependencies).map(([key, deps]) => [key, deps.map((d) => d.urn)])),
      }));
      definition.check(resources, config, reportViolation);
    },
  };
}
