import { checkOverrides, mergeOverrides, overrideProblems } from '../../src/fleet/overrides';

describe('overrideProblems', () => {
  test('reports every invalid value at once, each with its field, the value and what is valid', () => {
    expect(overrideProblems({
      replicas: -1,
      image: 'Docker.io/UPF',
      resources: { requests: { cpu: 'two', memory: '-1Gi' }, limits: { memory: '1 GB' } },
      configuration: { logLevel: 3 as unknown as string },
    })).toEqual([
      { field: 'replicas', message: 'must be a whole number, 0 or more; got -1' },
      { field: 'image', message: '"Docker.io/UPF" is not an image reference ([registry/]path[:tag][@sha256:digest], lowercase path)' },
      { field: 'resources.requests.cpu', message: 'must be a Kubernetes quantity, zero or more, such as "500m", "2" or "4Gi" (a string, or a cdk8s-plus Cpu or Size); got "two"' },
      { field: 'resources.requests.memory', message: 'must be a Kubernetes quantity, zero or more, such as "500m", "2" or "4Gi" (a string, or a cdk8s-plus Cpu or Size); got "-1Gi"' },
      { field: 'resources.limits.memory', message: 'must be a Kubernetes quantity, zero or more, such as "500m", "2" or "4Gi" (a string, or a cdk8s-plus Cpu or Size); got "1 GB"' },
      { field: 'configuration.logLevel', message: 'must be a string; got 3' },
    ]);
  });

  test('valid overrides have no problems', () => {
    expect(overrideProblems({ replicas: 0, resources: { requests: { cpu: '500m' }, limits: { memory: '4Gi' } }, configuration: { a: 'b' } })).toEqual([]);
  });

  test('checkOverrides throws the first problem, named by where', () => {
    expect(() => checkOverrides({ resources: { requests: { cpu: 'two' } } }, 'Placement p')).toThrow(
      'Placement p: resources.requests.cpu must be a Kubernetes quantity, zero or more, such as "500m", "2" or "4Gi" (a string, or a cdk8s-plus Cpu or Size); got "two"');
    expect(() => checkOverrides({ replicas: 2 }, 'Placement p')).not.toThrow();
  });
});

describe('mergeOverrides', () => {
  test('later layers win key by key', () => {
    expect(mergeOverrides(
      { replicas: 1, resources: { requests: { cpu: '1', memory: '1Gi' } }, configuration: { a: '1' } },
      undefined,
      { replicas: 3, resources: { requests: { cpu: '2' } }, configuration: { b: '2' } },
    )).toEqual({ replicas: 3, resources: { requests: { cpu: '2', memory: '1Gi' } }, configuration: { a: '1', b: '2' } });
  });
});
