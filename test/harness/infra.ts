import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdktf';
import { InfraConfig } from '../../infra/config';
import { CLUSTER_STACK, CONFIG_STACK, Infra, buildInfra } from '../../infra/stacks';
import { tempDir } from './index';

/** One synthesized stack: the JSON text `cdktf synth` writes, and the same parsed. */
export interface SynthesizedStack {
  readonly json: string;
  readonly parsed: TerraformJson;
}

/** The parts of a Terraform JSON configuration the tests and contract checks read. */
export interface TerraformJson {
  readonly resource?: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output?: Record<string, { readonly value: unknown; readonly sensitive?: boolean }>;
  readonly variable?: Record<string, Record<string, unknown>>;
  readonly provider?: Record<string, Array<Record<string, unknown>>>;
  readonly terraform?: { readonly backend?: Record<string, Record<string, unknown>> };
}

export interface SynthesizedInfra {
  readonly infra: Infra;
  readonly stacks: Readonly<Record<typeof CLUSTER_STACK | typeof CONFIG_STACK, SynthesizedStack>>;
}

/**
 * Synthesizes both stacks the way `cdktf synth` does (a whole-app synth, so cross-stack
 * references become outputs and remote state reads), with cdktf's version stubbed so the
 * output is the same on every machine. For tests; no provider or credentials needed.
 */
export function synthInfra(config: InfraConfig): SynthesizedInfra {
  // One synth per configuration and test process: several suites synthesize the same variants,
  // and the parsed stacks are only read (frozen, so a test that tried to change one would throw).
  const key = JSON.stringify(config);
  const cached = CACHE.get(key);
  if (cached) return cached;
  const result = synthesize(config);
  CACHE.set(key, result);
  return result;
}

const CACHE = new Map<string, SynthesizedInfra>();

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

/**
 * A cdktf app for a test, as `Testing.app()` makes it, writing (if it is ever synthesized) into a
 * folder that goes when the test process exits ({@link tempDir}).
 */
export function terraformTestApp(): App {
  return Testing.app({ outdir: tempDir('cdktf-') });
}

function synthesize(config: InfraConfig): SynthesizedInfra {
  const app = terraformTestApp();
  const infra = buildInfra(app, config);
  app.synth();
  const read = (stack: string): SynthesizedStack => {
    const json = fs.readFileSync(path.join(app.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
    return { json, parsed: deepFreeze(JSON.parse(json) as TerraformJson) };
  };
  const stacks = { [CLUSTER_STACK]: read(CLUSTER_STACK), [CONFIG_STACK]: read(CONFIG_STACK) };
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return { infra, stacks };
}

/** The resources of `type` in a synthesized stack, by logical id. */
export function resourcesOf(stack: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}

/**
 * The variants of the cluster stack the tests synthesize: each one posture setting on top
 * of the defaults, and all of them together, as environment variables, so that every variant
 * also passes the settings check.
 */
export const INFRA_VARIANTS: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  default: {},
  'authorized-ranges': { GKE_MASTER_AUTHORIZED_RANGES: '198.51.100.0/24,203.0.113.7/32' },
  'private-nodes': { GKE_PRIVATE_NODES: 'true' },
  kms: { GKE_SECRETS_KMS: 'true' },
  'network-policy': { GKE_NETWORK_POLICY: 'true' },
  regional: { GKE_REGIONAL: 'true', GKE_NODE_LOCATIONS: 'us-central1-a,us-central1-b,us-central1-f' },
  'all-on': {
    GKE_MASTER_AUTHORIZED_RANGES: '198.51.100.0/24',
    GKE_ALLOWED_SOURCE_RANGES: '198.51.100.0/24',
    GKE_PRIVATE_NODES: 'true',
    GKE_SECRETS_KMS: 'true',
    GKE_NETWORK_POLICY: 'true',
    GKE_REGIONAL: 'true',
    GKE_NODE_LOCATIONS: 'us-central1-a,us-central1-b,us-central1-f',
    GKE_MAINTENANCE_WINDOW: 'daily 03:00-07:00',
    GKE_LABELS: 'team=platform',
  },
};

/** What changed between two synthesized stacks, by resource (or data source) type, each address once. */
export interface StackDiff {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

export function stackDiff(before: TerraformJson, after: TerraformJson): StackDiff {
  const flat = (s: TerraformJson) => {
    const out = new Map<string, string>();
    for (const [kind, blocks] of [
      ['resource', s.resource],
      ['data', s.data],
    ] as const) {
      for (const [type, byId] of Object.entries(blocks ?? {})) {
        for (const [id, body] of Object.entries(byId))
          out.set(`${kind === 'data' ? 'data.' : ''}${type}.${id}`, JSON.stringify(body));
      }
    }
    return out;
  };
  const a = flat(before);
  const b = flat(after);
  const type = (address: string) => address.slice(0, address.lastIndexOf('.'));
  return {
    added: [...b.keys()]
      .filter((k) => !a.has(k))
      .map(type)
      .sort(),
    removed: [...a.keys()]
      .filter((k) => !b.has(k))
      .map(type)
      .sort(),
    changed: [...a.keys()]
      .filter((k) => b.has(k) && a.get(k) !== b.get(k))
      .map(type)
      .sort(),
  };
}
