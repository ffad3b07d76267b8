import * as fs from 'fs';
import * as path from 'path';
import { Testing } from 'cdktf';
import { InfraConfig } from '../../infra/config';
import { CLUSTER_STACK, CONFIG_STACK, Infra, buildInfra } from '../../infra/stacks';

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
  const app = Testing.app();
  const infra = buildInfra(app, config);
  app.synth();
  const read = (stack: string): SynthesizedStack => {
    const json = fs.readFileSync(path.join(app.outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8');
    return { json, parsed: JSON.parse(json) as TerraformJson };
  };
  const stacks = { [CLUSTER_STACK]: read(CLUSTER_STACK), [CONFIG_STACK]: read(CONFIG_STACK) };
  fs.rmSync(app.outdir, { recursive: true, force: true });
  return { infra, stacks };
}

/** The resources of `type` in a synthesized stack, by logical id. */
export function resourcesOf(stack: TerraformJson, type: string): Record<string, Record<string, unknown>> {
  return stack.resource?.[type] ?? {};
}
