import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { Construct } from 'constructs';
import { check, cidrProblem, fail } from '../lib/shared';
import { Network } from './network';

export interface NodePortFirewallProps {
  /** Rule name. */
  readonly name: string;
  /** Project id (or a reference to it). */
  readonly project: string;
  /** The cluster's network. */
  readonly network: Network;
  /** Network tag of the nodes the rule opens. */
  readonly targetTag: string;
  /** Source ranges allowed in. Empty: no rule at all. */
  readonly sourceRanges: readonly string[];
}

/**
 * Opens the NodePort range on the nodes to the configured source ranges only, for the
 * tutorials' NodePort checks: "If you're running on a cloud provider, you may need to open up
 * a firewall-rule for the nodes:nodeport" (Using Source IP), and nginx-https's
 * `curl https://<EXTERNAL-IP>:<NODE-PORT> -k`. NodePorts are allocated by the API server
 * (not pinned by the charts), so the rule covers the whole default range 30000-32767.
 * With no source ranges it creates nothing: nothing is opened by default.
 */
export class NodePortFirewall extends Construct {
  /** The default `--service-node-port-range` of kube-apiserver. */
  static readonly NODE_PORT_RANGE = '30000-32767';

  readonly rule?: ComputeFirewall;

  constructor(scope: Construct, id: string, props: NodePortFirewallProps) {
    super(scope, id);
    for (const cidr of props.sourceRanges) {
      check(this, 'sourceRanges', cidr, cidrProblem(cidr));
      // The same rule as GKE_ALLOWED_SOURCE_RANGES: the NodePort range stays closed to the internet.
      if (Number(cidr.split('/')[1]) === 0)
        fail(
          this,
          'sourceRanges',
          cidr,
          'must not be 0.0.0.0/0: the NodePort rule is for your own addresses, not the internet',
        );
    }
    if (props.sourceRanges.length === 0) return;
    this.rule = new ComputeFirewall(this, 'nodeports', {
      project: props.project,
      name: props.name,
      network: props.network.network.id,
      direction: 'INGRESS',
      sourceRanges: [...props.sourceRanges],
      targetTags: [props.targetTag],
      allow: [{ protocol: 'tcp', ports: [NodePortFirewall.NODE_PORT_RANGE] }],
      description: 'NodePort checks of the Kubernetes tutorials, from the configured source ranges only',
    });
  }
}
