import { validateObject } from '../../src/apis';

/** One of each kind a synthesized fleet repository is made of, varied by index. */
function fleetObject(i: number): Record<string, unknown> {
  const name = `nf-${i}`;
  const metadata = { name, namespace: `ns-${i % 50}`, labels: { 'app.kubernetes.io/name': name } };
  switch (i % 8) {
    case 0: return {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata,
      spec: { replicas: 2, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, image: 'free5gc/upf:v3.3.0', ports: [{ containerPort: 8805, protocol: 'UDP' }], resources: { limits: { cpu: '1', memory: '1Gi' } } }] } } },
    };
    case 1: return { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { 'config.yaml': `id: ${i}` } };
    case 2: return { apiVersion: 'v1', kind: 'Service', metadata, spec: { selector: { app: name }, ports: [{ name: 'pfcp', port: 8805, protocol: 'UDP' }] } };
    case 3: return { apiVersion: 'workload.nephio.org/v1alpha1', kind: 'NFDeployment', metadata, spec: { provider: 'upf.free5gc.io', capacity: { maxUplinkThroughput: '1G', maxSessions: 1000 }, interfaces: [{ name: 'n3', ipv4: { address: '10.0.0.1/24' } }] } };
    case 4: return { apiVersion: 'configsync.gke.io/v1beta1', kind: 'RootSync', metadata: { name, namespace: 'config-management-system' }, spec: { sourceFormat: 'unstructured', git: { repo: 'http://gitea/x.git', branch: 'main', dir: `deployments/${name}`, auth: 'token', secretRef: { name: 'token' } } } };
    case 5: return { apiVersion: 'kpt.dev/v1', kind: 'Kptfile', metadata: { name, annotations: { 'config.kubernetes.io/local-config': 'true' } }, pipeline: { mutators: [{ image: 'gcr.io/kpt-fn/set-namespace:v0.4.1', configMap: { namespace: name } }] } };
    case 6: return { apiVersion: 'config.porch.kpt.dev/v1alpha1', kind: 'PackageVariant', metadata: { name }, spec: { upstream: { repo: 'catalog', package: 'upf', revision: 1 }, downstream: { repo: 'edge', package: name } } };
    default: return { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata, spec: { podSelector: { matchLabels: { app: name } }, policyTypes: ['Ingress'], ingress: [{ from: [{ podSelector: {} }] }] } };
  }
}

test('15,000 synthesized objects validate in well under two seconds', () => {
  const objects = Array.from({ length: 15_000 }, (_, i) => fleetObject(i));
  // Schemas compile once, on first use; that one-off cost is not part of the per-object budget.
  for (let i = 0; i < 8; i++) expect(validateObject(objects[i])).toEqual([]);
  const start = process.hrtime.bigint();
  let violations = 0;
  for (const obj of objects) violations += validateObject(obj).length;
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  expect(violations).toBe(0);
  expect(elapsedMs).toBeLessThan(2000);
});
