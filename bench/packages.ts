/**
 * Synth cost per package at 10, 100 and 1,000 packages, beside plain cdk8s synthesizing the same
 * workloads (one chart per package, one App) in the same run.
 *
 *   npx ts-node --transpile-only -P test/tsconfig.json bench/packages.ts
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { Construct } from 'constructs';
import { KptFunction, KptPackage } from '../src/kpt';
import { GitOpsRepository } from '../src/repo';

function addWorkload(scope: Construct, name: string): void {
  const deployment = new kplus.Deployment(scope, name, {
    metadata: { name },
    replicas: 2,
    containers: [{
      name,
      image: `registry.example.com/nf/${name}:1.0.0`,
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
        memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
      },
      securityContext: { ensureNonRoot: true, user: 1000, group: 1000 },
    }],
  });
  deployment.exposeViaService({ name, ports: [{ port: 8080 }] });
  new kplus.ConfigMap(scope, `${name}-config`, { metadata: { name: `${name}-config` }, data: { 'nf.yaml': `name: ${name}\n` } });
}

function timeIt<T>(fn: () => T): { ms: number; value: T } {
  const start = process.hrtime.bigint();
  const value = fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function ours(count: number, outdir: string): number {
  return timeIt(() => {
    const app = new GitOpsRepository({ outdir });
    for (let i = 0; i < count; i++) {
      const name = `nf-${i}`;
      const pkg = new KptPackage(app, name, {
        path: `packages/network-functions/${name}`,
        mutators: [KptFunction.setNamespace('core'), KptFunction.setLabels({ 'app.kubernetes.io/part-of': 'bench' })],
      });
      addWorkload(pkg, name);
    }
    app.synth();
  }).ms;
}

function plainCdk8s(count: number, outdir: string): number {
  return timeIt(() => {
    const app = new App({ outdir });
    for (let i = 0; i < count; i++) {
      const chart = new Chart(app, `nf-${i}`, { namespace: 'core', labels: { 'app.kubernetes.io/part-of': 'bench' } });
      addWorkload(chart, `nf-${i}`);
    }
    app.synth();
  }).ms;
}

export function runPackagesBench(sizes = [10, 100, 1000]): string {
  const rows = ['| packages | nephoran synth (ms) | per package (ms) | plain cdk8s (ms) | per package (ms) | ratio |', '|---:|---:|---:|---:|---:|---:|'];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-bench-'));
  ours(5, path.join(tmp, 'warm-ours'));
  plainCdk8s(5, path.join(tmp, 'warm-plain'));
  for (const size of sizes) {
    const a = ours(size, path.join(tmp, `ours-${size}`));
    const b = plainCdk8s(size, path.join(tmp, `plain-${size}`));
    rows.push(`| ${size} | ${a.toFixed(0)} | ${(a / size).toFixed(2)} | ${b.toFixed(0)} | ${(b / size).toFixed(2)} | ${(a / b).toFixed(2)} |`);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  return rows.join('\n');
}

if (require.main === module) {
  process.stdout.write(runPackagesBench() + '\n');
}
