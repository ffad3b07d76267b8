/** How lib/internal/warnings.ts prints the constructs' warnings when no writer is given. */
import { Construct } from 'constructs';
import { Testing } from 'cdk8s';
import { addTutorialWarning, printTutorialWarnings } from '../lib';

describe('printTutorialWarnings', () => {
  it('writes one line per warning to standard error by default, where the cdk8s CLI does not read manifests', () => {
    const app = Testing.app();
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
