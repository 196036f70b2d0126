/**
 * One synth measurement, meant to run alone in its own process so that its peak memory (max RSS)
 * is its own: a fleet of `clusters` x `nfs` NF instances synthesized either by nephoran-gitops
 * (GitOpsRepository, Fleet, Cluster, NetworkFunction, Placement; validation included; written to
 * a folder) or by plain cdk8s (one cdk8s-plus-28 Deployment, Service and ConfigMap per NF instance,
 * one chart per cluster, in one App, `app.synth()`, or in one App per chart). Prints one line of
 * JSON: a SynthMeasurement.
 *
 * How much the clusters' variants differ (`variety`):
 * - same: every cluster runs each NF with the blueprint's settings (variants share one rendering);
 * - distinct: every cluster has its own configuration override on every NF (`site.yaml` naming the
 *   cluster), so no two variants are alike;
 * - mix: 7 in 10 NFs (the core functions) carry one override per environment, the other 3 in 10
 *   (standing for RAN and UPF functions, which carry per-site values) one per cluster.
 * Plain cdk8s writes the same values into each ConfigMap.
 *
 *   node -r @swc-node/register bench/fleet.ts ours|plain|plain-per-chart|ours-resynth <clusters> <nfs> <outdir> [same|distinct|mix]
 */
// Each side requires its libraries lazily, so that it loads only its own and the load is timed apart from synth.
/* eslint-disable @typescript-eslint/no-require-imports */
import * as fs from 'fs';
import * as path from 'path';

/**
 * What is measured: our synth into a new folder, plain cdk8s's, or our synth of the fleet with one
 * NF changed into the folder already holding the fleet (the edit-and-synth-again loop).
 */
export type SynthSide = 'ours' | 'plain' | 'plain-per-chart' | 'ours-resynth';

/** How much the clusters' variants of an NF differ. */
export type FleetVariety = 'same' | 'distinct' | 'mix';

export const FLEET_VARIETIES: readonly FleetVariety[] = ['same', 'distinct', 'mix'];

/** What one child process measured. */
export interface SynthMeasurement {
  readonly side: SynthSide;
  readonly clusters: number;
  readonly nfs: number;
  readonly variety: FleetVariety;
  /** Loading the libraries (cdk8s, cdk8s-plus-28, nephoran-gitops), before any construct exists. */
  readonly loadMs: number;
  /** Declaring the constructs, synthesizing, validating and writing the folder. */
  readonly synthMs: number;
  /** Kubernetes objects (YAML documents, Kptfiles included) in the written folder. */
  readonly objects: number;
  /** Files in the written folder. */
  readonly files: number;
  /** Peak resident memory of the whole process, in MiB. */
  readonly maxRssMiB: number;
  /** ours-resynth: files whose bytes were already in the folder (kept as they were). */
  readonly keptFiles?: number;
  /** ours, ours-resynth: of synthMs, the time writing the folder took. */
  readonly writeMs?: number;
}

const CONTROL_PLANE_RESOURCES = { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } };
const ENVIRONMENTS = ['DEVELOPMENT', 'STAGING', 'PRODUCTION'] as const;
/** Control-plane kinds: no capabilities, so every cluster admits them under any Pod Security level. */
const KIND_NAMES = ['AMF', 'SMF', 'NRF', 'AUSF', 'UDM', 'UDR', 'PCF', 'NSSF'] as const;
/** Production clusters refuse images not pinned by digest; a synthetic placeholder, not a real image digest. */
const DIGEST = 'sha256:3f1d7c1a2b9e4f5d6c7b8a9e0f1d2c3b4a5968778695a4b3c2d1e0f9a8b7c6d5';

function nfImage(index: number): string {
  return `docker.io/free5gc/${KIND_NAMES[index % KIND_NAMES.length].toLowerCase()}@${DIGEST}`;
}

function nfName(index: number): string {
  return `${KIND_NAMES[index % KIND_NAMES.length].toLowerCase()}-${index}`;
}

function clusterName(index: number): string {
  return `cluster-${String(index).padStart(3, '0')}`;
}

/** mix: NFs 0-6 of every 10 are core functions (one override per environment), 7-9 site functions (one per cluster). */
function isSiteFunction(nf: number): boolean {
  return nf % 10 >= 7;
}

/** The configuration override NF `nf` gets on cluster `cluster`, if any; the same for both sides. */
function siteConfiguration(variety: FleetVariety, cluster: number, nf: number): Record<string, string> | undefined {
  if (variety === 'same') return undefined;
  if (variety === 'distinct' || isSiteFunction(nf)) return { 'site.yaml': `site: ${clusterName(cluster)}\nnf: ${nfName(nf)}\n` };
  return { 'site.yaml': `environment: ${environmentOf(cluster).toLowerCase()}\nnf: ${nfName(nf)}\n` };
}

function environmentOf(cluster: number): typeof ENVIRONMENTS[number] {
  return ENVIRONMENTS[cluster % ENVIRONMENTS.length];
}

/** How the bench fleet is declared. */
export interface BenchFleetOptions {
  /** Give the first NF another image (a one-NF change). @default false */
  readonly changeFirstNf?: boolean;
  /** How much the clusters' variants differ. @default 'same' */
  readonly variety?: FleetVariety;
}

/**
 * Declares the bench fleet in a repository: `clusters` clusters across three environments, and
 * `nfs` control-plane NFs, each placed on every cluster (`clusters` x `nfs` NF instances).
 */
export function declareBenchFleet(repo: import('../src').GitOpsRepository, clusters: number, nfs: number, options: BenchFleetOptions = {}): void {
  // Required here, not imported at the top, so that loading is timed apart from synth.
  const { Cluster, Environment, Fleet, GitAuth, NetworkFunction, NfDeploymentModel, NfKind, Placement } = require('../src') as typeof import('../src');
  const variety = options.variety ?? 'same';
  const fleet = new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/telco/fleet.git', auth: GitAuth.none() });
  const declared: Array<InstanceType<typeof Cluster>> = [];
  for (let c = 0; c < clusters; c++) {
    declared.push(new Cluster(fleet, clusterName(c), { environment: Environment[environmentOf(c)], region: c % 2 === 0 ? 'eu-west' : 'us-east' }));
  }
  for (let n = 0; n < nfs; n++) {
    const nf = new NetworkFunction(repo, nfName(n), {
      kind: NfKind[KIND_NAMES[n % KIND_NAMES.length]],
      // Our own Deployment, Service and ConfigMap, like the plain cdk8s side writes.
      deploymentModel: NfDeploymentModel.WORKLOAD,
      namespace: `core-${n % 5}`,
      image: n === 0 && options.changeFirstNf ? nfImage(n).replace(/@sha256:.{8}/, '@sha256:00000000') : nfImage(n),
      resources: CONTROL_PLANE_RESOURCES,
      configuration: { 'nf.yaml': `name: ${nfName(n)}\n` },
    });
    const placement = new Placement(fleet, `${nf.name}-everywhere`, { blueprint: nf });
    if (variety === 'distinct' || (variety === 'mix' && isSiteFunction(n))) {
      declared.forEach((cluster, c) => placement.addClusterOverrides(cluster, { configuration: siteConfiguration(variety, c, n) }));
    } else if (variety === 'mix') {
      ENVIRONMENTS.forEach((environment, e) => placement.addEnvironmentOverrides(
        Environment[environment],
        { configuration: siteConfiguration(variety, e, n) },
      ));
    }
  }
}

/**
 * nephoran-gitops: the bench fleet, synthesized, validated and written into `outdir`, as
 * GitOpsRepository.synth() does it (the bench fleet has no warnings to print), with the write
 * timed apart.
 */
function synthOurs(clusters: number, nfs: number, outdir: string, options: BenchFleetOptions): { writeMs: number } {
  const { GitOpsRepository, writeRepoSetToFolder } = require('../src') as typeof import('../src');
  const repo = new GitOpsRepository({ outdir });
  declareBenchFleet(repo, clusters, nfs, options);
  const { repositories } = repo.synthTrees();
  const writeStart = process.hrtime.bigint();
  writeRepoSetToFolder(repositories, outdir);
  return { writeMs: Number(process.hrtime.bigint() - writeStart) / 1e6 };
}

/** What GitOpsRepository.synth() does for one repository, timing the write and counting the files kept. */
function resynthOurs(clusters: number, nfs: number, outdir: string, variety: FleetVariety): { keptFiles: number; writeMs: number } {
  const { GitOpsRepository, writeTreeToFolder } = require('../src') as typeof import('../src');
  const repo = new GitOpsRepository({ outdir });
  declareBenchFleet(repo, clusters, nfs, { changeFirstNf: true, variety });
  const tree = repo.synthTree().tree;
  const writeStart = process.hrtime.bigint();
  const keptFiles = writeTreeToFolder(tree, outdir).kept;
  return { keptFiles, writeMs: Number(process.hrtime.bigint() - writeStart) / 1e6 };
}

/**
 * Plain cdk8s: one chart per cluster, a Deployment, Service and ConfigMap per NF instance; the
 * charts in one App, or each in its own App (which avoids `toJson()` resolving the whole App per chart).
 */
function synthPlain(clusters: number, nfs: number, outdir: string, variety: FleetVariety, appPerChart: boolean): void {
  const { App, Chart, Size } = require('cdk8s') as typeof import('cdk8s');
  const kplus = require('cdk8s-plus-28') as typeof import('cdk8s-plus-28');
  const shared = appPerChart ? undefined : new App({ outdir });
  for (let c = 0; c < clusters; c++) {
    const app = shared ?? new App({ outdir });
    const chart = new Chart(app, clusterName(c), { labels: { 'nephio.org/cluster-name': clusterName(c) } });
    for (let n = 0; n < nfs; n++) {
      const name = nfName(n);
      const metadata = { name, namespace: `core-${n % 5}` };
      const deployment = new kplus.Deployment(chart, name, {
        metadata,
        replicas: 1,
        containers: [{
          name,
          image: nfImage(n),
          portNumber: 8000,
          resources: {
            cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(1000) },
            memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
          },
          securityContext: { ensureNonRoot: true, user: 65532, group: 65532 },
        }],
      });
      deployment.exposeViaService({ name, ports: [{ port: 8000 }] });
      new kplus.ConfigMap(chart, `${name}-config`, { metadata: { ...metadata, name: `${name}-config` }, data: { 'nf.yaml': `name: ${name}\n`, ...siteConfiguration(variety, c, n) } });
    }
    if (!shared) app.synth();
  }
  shared?.synth();
}

/** Counts files and YAML documents under a folder. */
function countOutput(dir: string): { files: number; objects: number } {
  let files = 0;
  let objects = 0;
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) { walk(full); continue; }
      files++;
      if (entry.name === 'Kptfile' || /\.ya?ml$/.test(entry.name)) {
        const text = fs.readFileSync(full, 'utf8');
        objects += text.split(/^---$/m).filter(doc => /^kind:/m.test(doc)).length;
      }
    }
  };
  walk(dir);
  return { files, objects };
}

function measure(side: SynthSide, clusters: number, nfs: number, outdir: string, variety: FleetVariety): SynthMeasurement {
  const loadStart = process.hrtime.bigint();
  require('cdk8s');
  require('cdk8s-plus-28');
  if (side === 'ours' || side === 'ours-resynth') require('../src');
  const loadEnd = process.hrtime.bigint();
  // The edit loop starts from a folder holding the fleet, written before the clock starts.
  if (side === 'ours-resynth') synthOurs(clusters, nfs, outdir, { variety });
  let written: { keptFiles?: number; writeMs: number } | undefined;
  const synthStart = process.hrtime.bigint();
  if (side === 'ours') written = synthOurs(clusters, nfs, outdir, { variety });
  else if (side === 'ours-resynth') written = resynthOurs(clusters, nfs, outdir, variety);
  else synthPlain(clusters, nfs, outdir, variety, side === 'plain-per-chart');
  const synthEnd = process.hrtime.bigint();
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  return {
    side,
    clusters,
    nfs,
    variety,
    loadMs: Number(loadEnd - loadStart) / 1e6,
    synthMs: Number(synthEnd - synthStart) / 1e6,
    ...countOutput(outdir),
    maxRssMiB,
    ...written,
  };
}

if (require.main === module) {
  const [side, clusters, nfs, outdir, variety = 'same'] = process.argv.slice(2);
  const sides: readonly string[] = ['ours', 'plain', 'plain-per-chart', 'ours-resynth'];
  if (!sides.includes(side) || !outdir || !(FLEET_VARIETIES as readonly string[]).includes(variety)) {
    process.stderr.write('usage: bench/fleet.ts ours|plain|plain-per-chart|ours-resynth <clusters> <nfs> <outdir> [same|distinct|mix]\n');
    process.exit(2);
  }
  process.stdout.write(JSON.stringify(measure(side as SynthSide, Number(clusters), Number(nfs), path.resolve(outdir), variety as FleetVariety)) + '\n');
}
