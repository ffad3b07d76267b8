/** How lib/internal/warnings.ts prints the constructs' warnings when no writer is given. */
import { Construct } from 'constructs';
import { addTutorialWarning, printTutorialWarnings } from '../lib';
import { declareOnePerNode, onePerNodeWarnings } from '../lib/internal/warnings';
import { testApp } from './harness';

describe('printTutorialWarnings', () => {
  it('writes one line per warning to standard error by default, where the cdk8s CLI does not read manifests', () => {
    const app = testApp();
    addTutorialWarning(new Construct(app, 'demo'), 'is an example');
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      printTutorialWarnings(app);
    } finally {
      spy.mockRestore();
    }
    expect(written).toEqual(['warning: demo: is an example\n']);
  });
});

describe('onePerNodeWarnings', () => {
  it('warns only for more one-per-node replicas than nodes, counting the Pods that can never run', () => {
    const app = testApp();
    declareOnePerNode(new Construct(app, 'zk'), { workload: 'StatefulSet/zk', replicas: 5 });
    // Other metadata of the same shape is not a one-per-node workload.
    new Construct(app, 'other').node.addMetadata('elsewhere', { workload: 'Deployment/x', replicas: 9 });
    expect(onePerNodeWarnings(app, 5, 'GKE_NODE_COUNT')).toEqual([]);
    expect(onePerNodeWarnings(app, 4, 'GKE_NODE_COUNT')).toEqual([
      'zk: StatefulSet/zk has 5 replicas that must each run on their own node, but the node pool has 4 (GKE_NODE_COUNT): 1 Pod(s) can never be scheduled',
    ]);
  });
});
