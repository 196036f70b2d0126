import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

/**
 * Runs the `@example` of every documented fleet and policy API: each is type-checked against the
 * library and executed with a small fleet in scope, then that fleet is synthesized.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SOURCES = ['src/fleet', 'src/policy'];

interface DocExample { readonly symbol: string; readonly file: string; readonly code: string }

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

function extractExamples(): DocExample[] {
  const examples: DocExample[] = [];
  for (const file of SOURCES.flatMap(d => sourceFiles(path.join(ROOT, d))).sort()) {
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*export\s+(?:declare\s+)?(?:abstract\s+)?(?:class|interface|function|const|enum)\s+(\w+)/g)) {
      const lines = match[1].split('\n').map(l => l.replace(/^\s*\* ?/, ''));
      const start = lines.findIndex(l => l.trim() === '@example');
      if (start < 0) continue;
      const body: string[] = [];
      for (const line of lines.slice(start + 1)) {
        if (/^@\w+/.test(line.trim())) break;
        body.push(line);
      }
      examples.push({ symbol: match[2], file: path.relative(ROOT, file), code: body.join('\n').trim() });
    }
  }
  return examples;
}

function moduleFor(example: DocExample): string {
  const abs = (p: string) => JSON.stringify(path.join(ROOT, p));
  const ownFleet = /new Fleet\(/.test(example.code);
  return [
    `import { Cluster, Environment, Fleet, GitAuth, GitCredentials, Placement, Rollout, SiteType } from ${abs('src/fleet')};`,
    `import { containersOf, IPolicyRule, NetworkIsolation, PodSecurityLevel, Policy, PolicyEnforcement, PolicyProfile, ResourceRequirementsRule, RuleSet, RuleSeverity, RuleViolation } from ${abs('src/policy')};`,
    `import { GitOpsRepository } from ${abs('src/repo')};`,
    `import { TestWorkload } from ${abs('test/fleet/support')};`,
    'export function run(): GitOpsRepository {',
    '  const repo = new GitOpsRepository();',
    "  const upf = new TestWorkload(repo, 'upf', { namespace: 'upf' });",
    ownFleet ? '' : "  const fleet = new Fleet(repo, 'fleet', { repoUrl: 'https://git.example.com/telco/fleet.git', auth: GitAuth.none() });",
    ownFleet ? '' : "  const edge01 = new Cluster(fleet, 'preamble-edge', { environment: Environment.PRODUCTION, region: 'eu-west', siteType: SiteType.EDGE });",
    '  {',
    example.code.split('\n').map(l => '    ' + l).join('\n'),
    '  }',
    '  return repo;',
    '}',
  ].join('\n');
}

const examples = extractExamples();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nephoran-doc-examples-'));
const files = examples.map((example, i) => {
  const file = path.join(dir, `example-${i}-${example.symbol}.ts`);
  fs.writeFileSync(file, moduleFor(example));
  return file;
});

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('every public construct of fleet and policy has an example', () => {
  const documented = new Set(examples.map(e => e.symbol));
  for (const construct of ['Fleet', 'Cluster', 'Placement', 'Environment', 'GitAuth', 'GitCredentials', 'Policy', 'PolicyEnforcement', 'RuleSet', 'IPolicyRule']) {
    expect(documented).toContain(construct);
  }
});

test('the examples type-check against the library', () => {
  const program = ts.createProgram(files, {
    strict: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    esModuleInterop: true,
    skipLibCheck: true,
    resolveJsonModule: true,
    types: ['jest', 'node'],
    noEmit: true,
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).filter(d => d.file && files.includes(path.normalize(d.file.fileName)));
  const messages = diagnostics.map(d => {
    const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
    return `${path.basename(d.file!.fileName)}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
  expect(messages).toEqual([]);
});

describe.each(examples.map((e, i) => [e.symbol, e.file, i] as const))('example of %s (%s)', (_symbol, _file, index) => {
  test('runs, and the fleet around it synthesizes', () => {
    const previous = process.env.CDK8S_OUTDIR;
    process.env.CDK8S_OUTDIR = fs.mkdtempSync(path.join(dir, 'out-'));
    try {
      const js = ts.transpileModule(fs.readFileSync(files[index], 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
      const module = { exports: {} as any };
      new Function('require', 'module', 'exports', js)(require, module, module.exports);
      const repo = module.exports.run();
      expect(() => repo.synthTree()).not.toThrow();
    } finally {
      if (previous === undefined) delete process.env.CDK8S_OUTDIR;
      else process.env.CDK8S_OUTDIR = previous;
    }
  });
});
