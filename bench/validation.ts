/**
 * Schema validation throughput: 15,000 objects of the kinds a fleet repository is made of.
 *
 *   npx ts-node --transpile-only -P test/tsconfig.json bench/validation.ts
 */
import { validateObject } from '../src/apis';

/** One of each kind a synthesized fleet repository is made of, varied by index. */
function fleetObject(i: number): Record<string, unknown> {
  const name = `nf-${i}`;
  const metadata = { name, namespace: `ns-${i % 50}`, labels: { 'app.kubernetes.io/name': name } };
  switch (i % 8) {
    case 0: return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
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

export function runValidationBench(count = 15_000): string {
  const objects = Array.from({ length: count }, (_, i) => fleetObject(i));
  const compileStart = process.hrtime.bigint();
  for (let i = 0; i < 8; i++) validateObject(objects[i]);
  const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;
  const start = process.hrtime.bigint();
  let violations = 0;
  for (const obj of objects) violations += validateObject(obj).length;
  const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (violations > 0) throw new Error(`bench objects should be valid, found ${violations} violations`);
  return `schema validation: ${count} objects in ${elapsedMs.toFixed(0)} ms (${(elapsedMs / count * 1000).toFixed(1)} µs each; first-use schema compile ${compileMs.toFixed(0)} ms)`;
}

if (require.main === module) process.stdout.write(runValidationBench() + '\n');
