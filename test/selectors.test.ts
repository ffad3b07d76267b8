import { matchesLabelSelector, matchesLabels } from './harness/selectors';

describe('label selection shared by the harness and the cluster suites', () => {
  const labels = { app: 'web', tier: 'front' };

  it('matches a selector whose every label the object has, and no other', () => {
    expect(matchesLabels({ app: 'web' }, labels)).toBe(true);
    expect(matchesLabels({ app: 'web', tier: 'back' }, labels)).toBe(false);
    expect(matchesLabels({ app: 'web' }, undefined)).toBe(false);
  });

  it('applies each matchExpressions operator as the API does', () => {
    const expr = (operator: string, values?: string[]) => ({ matchExpressions: [{ key: 'tier', operator, values }] });
    expect(matchesLabelSelector(expr('In', ['front', 'x']), labels)).toBe(true);
    expect(matchesLabelSelector(expr('In', ['back']), labels)).toBe(false);
    expect(matchesLabelSelector(expr('NotIn', ['back']), labels)).toBe(true);
    expect(matchesLabelSelector(expr('NotIn', ['front']), labels)).toBe(false);
    expect(matchesLabelSelector(expr('Exists'), labels)).toBe(true);
    expect(matchesLabelSelector(expr('DoesNotExist'), labels)).toBe(false);
    expect(matchesLabelSelector(expr('DoesNotExist'), { app: 'web' })).toBe(true);
    expect(matchesLabelSelector({ matchLabels: { app: 'db' }, ...expr('Exists') }, labels)).toBe(false);
  });

  it('matches everything with an empty selector, and refuses an unknown operator', () => {
    expect(matchesLabelSelector({}, labels)).toBe(true);
    expect(matchesLabelSelector(undefined, labels)).toBe(true);
    expect(() => matchesLabelSelector({ matchExpressions: [{ key: 'app', operator: 'Gt' }] }, labels)).toThrow(
      'label selector operator "Gt": not one of In, NotIn, Exists, DoesNotExist',
    );
  });
});
