/**
 * YAML emission for 15,000 realistic objects (Deployments, Services, ConfigMaps, Kptfiles): the
 * `yaml` package as it was used before, beside the direct emitter of `toYamlDocuments`.
 *
 *   npx ts-node --transpile-only -P test/tsconfig.json bench/yaml.ts
 */
import { Size, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { stringify } from 'yaml';
import { renderKptfile } from '../src/kpt/kptfile';
import { toYamlDocuments } from '../src/repo/yaml-output';

const OBJECT_COUNT = 15_000;
const ROUNDS = 5;
const PREVIOUS_OPTIONS = { version: '1.1', lineWidth: 0, aliasDuplicateObjects: false } as const;

/** One network function as cdk8s-plus synthesizes it, plus its Kptfile; `nf-0` is renamed per copy. */
function templateObjects(): unknown[] {
  const chart = Testing.chart();
  const deployment = new kplus.Deployment(chart, 'nf-0', {
    metadata: { name: 'nf-0', labels: { 'app.kubernetes.io/part-of': 'bench' }, annotations: { 'nephio.org/owner': 'core' } },
    replicas: 2,
    containers: [{
      name: 'nf-0',
      image: 'registry.example.com/nf/nf-0:1.0.0',
      args: ['--config=/etc/nf/nf.yaml', '--log-level=info'],
      envVariables: { MCC: kplus.EnvValue.fromValue('001'), MNC: kplus.EnvValue.fromValue('01') },
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      securityContext: { ensureNonRoot: true, user: 1000, group: 1000 },
    }],
  });
  deployment.exposeViaService({ name: 'nf-0', ports: [{ port: 8080 }] });
  new kplus.ConfigMap(chart, 'nf-0-config', {
    metadata: { name: 'nf-0-config' },
    data: { 'nf.yaml': 'nf:\n  name: nf-0\n  plmn:\n    mcc: "001"\n    mnc: "01"\n  sbi:\n    port: 8080\n' },
  });
  const kptfile = renderKptfile({
    name: 'nf-0',
    info: { description: 'network function nf-0' },
    mutators: [{ image: 'ghcr.io/kptdev/krm-functions-catalog/set-namespace:v0.4.1', configMap: { namespace: 'core' } }],
    validators: [],
  });
  return [...Testing.synth(chart), kptfile];
}

function realisticObjects(count: number): unknown[] {
  const templates = templateObjects().map(o => JSON.stringify(o));
  return Array.from({ length: count }, (_, i) => JSON.parse(templates[i % templates.length].replace(/nf-0/g, `nf-${i}`)));
}

function previousEmitter(objects: readonly unknown[]): string {
  return objects.map(o => stringify(o, PREVIOUS_OPTIONS)).join('---\n');
}

/** Best of several rounds, after one warm-up round. */
function bestMs(emit: (objects: readonly unknown[]) => string, objects: readonly unknown[]): number {
  emit(objects);
  let best = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const start = process.hrtime.bigint();
    emit(objects);
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  return best;
}

function main(): void {
  const objects = realisticObjects(OBJECT_COUNT);
  const differing = objects.filter(o => toYamlDocuments([o]) !== stringify(o, PREVIOUS_OPTIONS)).length;
  const previousMs = bestMs(previousEmitter, objects);
  const directMs = bestMs(toYamlDocuments, objects);
  const perObject = (ms: number) => `${((ms * 1000) / OBJECT_COUNT).toFixed(1)} µs/object`;
  console.log(`${OBJECT_COUNT} objects, best of ${ROUNDS} rounds`);
  console.log(`  yaml package (previous): ${previousMs.toFixed(0)} ms  ${perObject(previousMs)}`);
  console.log(`  direct emitter:          ${directMs.toFixed(0)} ms  ${perObject(directMs)}`);
  console.log(`  speedup: ${(previousMs / directMs).toFixed(1)}x; documents differing from the previous output: ${differing}`);
}

main();
