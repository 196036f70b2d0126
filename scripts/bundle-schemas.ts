/**
 * Regenerates the schemas the library ships with, from the CRDs and the Kptfile schema in
 * test/fixtures/schemas (copies of the upstream files, see SOURCES.md there) and from
 * kubernetes-models' type declarations:
 *
 *   src/apis/validation/schemas/{configsync,porch,nephio}.json  CRDs converted to strict JSON Schema
 *   src/apis/validation/schemas/{external-secrets,sealed-secrets,multus}.json  likewise
 *   src/apis/validation/schemas/kptfile.json                    the Kptfile schema, strict
 *   src/apis/validation/schemas/core-fields.json                the fields each core kind declares
 *
 * With --l1 it also regenerates the typed L1 classes in src/apis/{configsync,porch,nephio}/*.generated.ts with
 * `cdk8s import`, from a copy of each CRD reduced to its storage version (cdk8s import would give
 * the plain class name to whichever version the CRD lists first).
 *
 *   npx ts-node --project test/tsconfig.json scripts/bundle-schemas.ts [--l1]
 *
 * test/apis/bundled-schemas.test.ts rebuilds the JSON in memory and fails when the committed copy differs.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';
import * as YAML from 'yaml';
import { bundleCrds } from '../src/apis/validation/crd-to-json-schema';
import { convertKptfileSchema } from '../src/apis/validation/kptfile-schema';

const PROJECT_ROOT = path.resolve(__dirname, '..');
/** The source CRDs: NEPHORAN_SCHEMAS points at a newer copy, else the ones kept in test/fixtures/schemas. */
export const DEFAULT_SCHEMAS_DIR = process.env.NEPHORAN_SCHEMAS
  ? path.resolve(process.env.NEPHORAN_SCHEMAS)
  : path.resolve(PROJECT_ROOT, 'test/fixtures/schemas');
export const BUNDLED_SCHEMAS_DIR = path.join(PROJECT_ROOT, 'src/apis/validation/schemas');

/** CRD bundles: output file -> CRD files. ConfigSync and Porch at the versions Nephio R5 ships (v1.18.3, v1.4.0). */
const CRD_BUNDLES: Record<string, (schemasDir: string) => string[]> = {
  'configsync.json': () => ['configsync/rootsync-crd.nephio-r5-catalog.yaml', 'configsync/reposync-crd.v1.18.3.yaml'],
  'porch.json': () => [
    'porch/config.porch.kpt.dev_repositories.yaml',
    'porch/config.porch.kpt.dev_packagevariants.yaml',
    'porch/config.porch.kpt.dev_packagevariantsets.yaml',
  ],
  // Every CRD of nephio-project/api v5.0.0.
  'nephio.json': schemasDir => fs.readdirSync(path.join(schemasDir, 'nephio-api')).filter(f => f.endsWith('.yaml')).sort().map(f => `nephio-api/${f}`),
  // The objects that produce a cluster's git credentials, and the Multus networks of its NFs.
  'external-secrets.json': () => ['external-secrets/external-secrets.io_externalsecrets.yaml'],
  'sealed-secrets.json': () => ['sealed-secrets/bitnami.com_sealedsecrets.yaml'],
  'multus.json': () => ['multus/k8s.cni.cncf.io_network-attachment-definitions.yaml'],
};

/** The R5-era Kptfile schema: kpt main adds fields Porch v1.4.0 does not know. */
const KPTFILE_SOURCE = 'kpt/kptfile.2025-06.yaml';

/** Core kinds whose unknown fields are reported (kubernetes-models checks types, not unknown fields). */
const CORE_KINDS: ReadonlyArray<readonly [apiVersion: string, kind: string]> = [
  ['v1', 'ConfigMap'], ['v1', 'Secret'], ['v1', 'Service'], ['v1', 'ServiceAccount'], ['v1', 'Namespace'],
  ['v1', 'ResourceQuota'], ['v1', 'LimitRange'], ['v1', 'PersistentVolumeClaim'], ['v1', 'Pod'],
  ['apps/v1', 'Deployment'], ['apps/v1', 'StatefulSet'], ['apps/v1', 'DaemonSet'],
  ['batch/v1', 'Job'], ['batch/v1', 'CronJob'],
  ['networking.k8s.io/v1', 'NetworkPolicy'], ['networking.k8s.io/v1', 'Ingress'],
  ['rbac.authorization.k8s.io/v1', 'Role'], ['rbac.authorization.k8s.io/v1', 'RoleBinding'],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole'], ['rbac.authorization.k8s.io/v1', 'ClusterRoleBinding'],
  ['policy/v1', 'PodDisruptionBudget'], ['autoscaling/v2', 'HorizontalPodAutoscaler'],
];

/** Typed L1 classes: src/apis/<dir>/<module>.ts from one CRD each. */
const L1_SOURCES: ReadonlyArray<{ dir: string; module: string; crd: string }> = [
  { dir: 'configsync', module: 'rootsync', crd: 'configsync/rootsync-crd.nephio-r5-catalog.yaml' },
  { dir: 'configsync', module: 'reposync', crd: 'configsync/reposync-crd.v1.18.3.yaml' },
  { dir: 'porch', module: 'repository', crd: 'porch/config.porch.kpt.dev_repositories.yaml' },
  { dir: 'porch', module: 'package-variant', crd: 'porch/config.porch.kpt.dev_packagevariants.yaml' },
  { dir: 'porch', module: 'package-variant-set', crd: 'porch/config.porch.kpt.dev_packagevariantsets.yaml' },
  { dir: 'nephio', module: 'workload-cluster', crd: 'nephio-api/infra.nephio.org_workloadclusters.yaml' },
  { dir: 'nephio', module: 'nf-deployment', crd: 'nephio-api/workload.nephio.org_nfdeployments.yaml' },
  { dir: 'nephio', module: 'nf-config', crd: 'nephio-api/workload.nephio.org_nfconfigs.yaml' },
  { dir: 'nephio', module: 'capacity', crd: 'nephio-api/req.nephio.org_capacities.yaml' },
  { dir: 'nephio', module: 'interface', crd: 'nephio-api/req.nephio.org_interfaces.yaml' },
  { dir: 'nephio', module: 'data-network', crd: 'nephio-api/req.nephio.org_datanetworks.yaml' },
  { dir: 'nephio', module: 'dependency', crd: 'nephio-api/req.nephio.org_dependencies.yaml' },
];

function readYaml(schemasDir: string, file: string): unknown {
  return YAML.parse(fs.readFileSync(path.join(schemasDir, file), 'utf8'));
}

function toJsonFile(data: unknown): string {
  return JSON.stringify(data) + '\n';
}

/** Builds every bundled JSON file in memory: file name -> content. */
export function buildSchemaBundles(schemasDir: string = DEFAULT_SCHEMAS_DIR): Map<string, string> {
  const files = new Map<string, string>();
  for (const [output, listSources] of Object.entries(CRD_BUNDLES)) {
    const sources = listSources(schemasDir).map(file => [file, readYaml(schemasDir, file)] as const);
    files.set(output, toJsonFile(bundleCrds(sources)));
  }
  files.set('kptfile.json', toJsonFile(convertKptfileSchema(readYaml(schemasDir, KPTFILE_SOURCE))));
  files.set('core-fields.json', toJsonFile(buildCoreFieldBundle()));
  return files;
}

type FieldType = string | 0;

/**
 * Reads kubernetes-models' .d.ts files with the TypeScript checker and records, for each type
 * reachable from the core kinds, its field names and field types. Scalars, unions of scalars and
 * free-form objects become 0 (not walked).
 */
export function buildCoreFieldBundle(): { kinds: Record<string, string>; types: Record<string, Record<string, FieldType>> } {
  const modelsRoot = path.dirname(require.resolve('kubernetes-models/package.json'));
  const entryFiles = CORE_KINDS.map(([apiVersion, kind]) => path.join(modelsRoot, apiVersion, `${kind}.d.ts`));
  const program = ts.createProgram(entryFiles, { strict: true, noEmit: true, skipLibCheck: true, types: [] });
  const checker = program.getTypeChecker();
  const types: Record<string, Record<string, FieldType>> = {};

  const typeKey = (type: ts.Type, anonymousName: string): string => {
    const declaration = type.getSymbol()?.declarations?.[0];
    if (!declaration || !ts.isInterfaceDeclaration(declaration)) return anonymousName;
    const file = declaration.getSourceFile().fileName.replace(/\.d\.ts$/, '');
    const shortFile = file.slice(file.lastIndexOf('node_modules/') + 'node_modules/'.length).replace(/^(@kubernetes-models\/)?(kubernetes-models\/)?/, '');
    return declaration.name.text === `I${path.basename(file)}` ? shortFile : `${shortFile}#${declaration.name.text}`;
  };

  const describe = (type: ts.Type, anonymousName: string): FieldType => {
    if (type.isUnion()) {
      const structured = type.types.filter(t => t.flags & ts.TypeFlags.Object);
      return structured.length === 1 ? describe(structured[0], anonymousName) : 0;
    }
    if (checker.isArrayType(type)) return describe(checker.getTypeArguments(type as ts.TypeReference)[0], anonymousName);
    if (!(type.flags & ts.TypeFlags.Object)) return 0;
    const properties = checker.getPropertiesOfType(type);
    const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
    if (properties.length === 0 && !index) return 0;
    const fields: Record<string, FieldType> = {};
    if (index) fields['*'] = describe(index.type, `${anonymousName}[*]`);
    // Maps of scalars are the most common anonymous type (labels, data...): share one entry.
    const key = properties.length === 0 && fields['*'] === 0 ? 'map' : typeKey(type, anonymousName);
    if (types[key]) return key;
    types[key] = fields;
    for (const property of [...properties].sort((a, b) => a.name.localeCompare(b.name))) {
      fields[property.name] = describe(checker.getTypeOfSymbol(property), `${key}.${property.name}`);
    }
    return key;
  };

  const kinds: Record<string, string> = {};
  CORE_KINDS.forEach(([apiVersion, kind], i) => {
    const source = program.getSourceFile(entryFiles[i]);
    const declaration = source?.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === `I${kind}`);
    if (!declaration) throw new Error(`kubernetes-models has no interface I${kind} in ${entryFiles[i]}`);
    const root = describe(checker.getTypeAtLocation(declaration.name), `${apiVersion}/${kind}`);
    if (root === 0) throw new Error(`I${kind} declares no fields`);
    kinds[`${apiVersion}/${kind}`] = root;
  });
  return { kinds, types: sortKeys(types) };
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * Runs cdk8s import on the storage version of each L1 source CRD and writes
 * src/apis/<dir>/<module>.generated.ts (the name tells reviews and duplicate checks to skip it).
 */
function generateL1Classes(schemasDir: string): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-l1-'));
  const cdk8s = path.join(PROJECT_ROOT, 'node_modules/.bin/cdk8s');
  try {
    for (const source of L1_SOURCES) {
      const crd = readYaml(schemasDir, source.crd) as { spec: { versions: Array<{ name: string; storage: boolean }> } };
      const storage = crd.spec.versions.filter(v => v.storage);
      crd.spec.versions = storage;
      const input = path.join(work, `${source.module}.yaml`);
      const output = path.join(work, source.module);
      fs.writeFileSync(input, YAML.stringify(crd));
      execFileSync(cdk8s, ['import', `${source.module}:=${input}`, '--language', 'typescript', '--output', output, '--no-save', '--no-check-upgrade'], { cwd: work, stdio: 'pipe' });
      const [generated] = fs.readdirSync(output).filter(f => f.endsWith('.ts'));
      const header = `// Generated by scripts/bundle-schemas.ts --l1 (cdk8s import) from test/fixtures/schemas/${source.crd}, version ${storage[0].name}. Do not edit.`;
      const code = fs.readFileSync(path.join(output, generated), 'utf8').replace(/^\/\/ generated by cdk8s\n/, `${header}\n`);
      fs.writeFileSync(path.join(PROJECT_ROOT, 'src/apis', source.dir, `${source.module}.generated.ts`), code);
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  fs.mkdirSync(BUNDLED_SCHEMAS_DIR, { recursive: true });
  for (const [file, content] of buildSchemaBundles()) {
    fs.writeFileSync(path.join(BUNDLED_SCHEMAS_DIR, file), content);
    process.stdout.write(`${path.relative(PROJECT_ROOT, path.join(BUNDLED_SCHEMAS_DIR, file))} (${content.length} bytes)\n`);
  }
  if (process.argv.includes('--l1')) {
    generateL1Classes(DEFAULT_SCHEMAS_DIR);
    process.stdout.write(`regenerated ${L1_SOURCES.length} L1 modules under src/apis/\n`);
  }
}
