import * as fs from 'fs';
import * as path from 'path';
import { PROJECT_ROOT } from './support/tmp';

/**
 * The layer order of docs/ARCHITECTURE.md, enforced: every import in src/ is resolved to the
 * top-level folder it lands in, and must be one its own folder may use. A new top-level folder
 * fails until it is given a place here.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  'repo': [],
  'apis': ['repo'],
  'kpt': ['repo', 'apis'],
  'network': ['repo', 'apis', 'kpt', 'policy'],
  'policy': ['repo', 'apis', 'kpt', 'network'],
  'fleet': ['repo', 'apis', 'kpt', 'network', 'policy'],
  // gitops publishes any RepoTree: it knows packages (kpt), never network functions or clusters.
  'gitops': ['repo', 'kpt'],
  'intent': ['repo', 'apis', 'kpt', 'network', 'policy', 'fleet'],
  'cli': ['repo', 'apis', 'kpt', 'network', 'policy', 'fleet', 'gitops', 'intent', '(root)'],
  // src/index.ts re-exports the library; it never exports the command line.
  '(root)': ['repo', 'apis', 'kpt', 'network', 'policy', 'fleet', 'gitops', 'intent'],
};

const SRC = path.join(PROJECT_ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The top-level folder of src/ a file is in, `(root)` for src/index.ts. */
function layerOf(file: string): string {
  const relative = path.relative(SRC, file).split(path.sep);
  return relative.length === 1 ? '(root)' : relative[0];
}

/** Relative module specifiers of a file: `import ... from`, `export ... from`, `import()`, `require()`. */
function relativeImports(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\bfrom\s+'(\.{1,2}\/[^']*|\.{1,2})'/g, /\bimport\s*\(\s*'(\.{1,2}\/[^']*)'\s*\)/g, /\brequire\s*\(\s*'(\.{1,2}\/[^']*)'\s*\)/g, /^\s*import\s+'(\.{1,2}\/[^']*)'/gm];
  for (const pattern of patterns) for (const match of text.matchAll(pattern)) found.push(match[1]);
  return found;
}

const FILES = sourceFiles(SRC);

test('every folder of src/ has a place in the layer order', () => {
  const layers = new Set(FILES.map(layerOf));
  expect([...layers].filter(layer => !(layer in MAY_IMPORT))).toEqual([]);
});

test('imports run downward only, and nothing imports the command line', () => {
  const violations: string[] = [];
  for (const file of FILES) {
    const from = layerOf(file);
    const allowed = new Set([from, ...(MAY_IMPORT[from] ?? [])]);
    for (const specifier of relativeImports(fs.readFileSync(file, 'utf8'))) {
      const target = path.resolve(path.dirname(file), specifier);
      if (!target.startsWith(SRC)) continue;
      const to = layerOf(fs.existsSync(target) && fs.statSync(target).isDirectory() ? path.join(target, 'index.ts') : `${target}.ts`);
      if (!allowed.has(to)) violations.push(`${path.relative(PROJECT_ROOT, file)} imports ${specifier} (${from} -> ${to})`);
    }
  }
  expect(violations).toEqual([]);
});

test('the check sees an upward import', () => {
  // Guards the parser above: an import written the usual ways is found.
  const text = "import { Fleet } from '../fleet';\nexport * from '../gitops/publish';\nconst x = require('../cli/main');\n";
  expect(relativeImports(text)).toEqual(['../fleet', '../gitops/publish', '../cli/main']);
});
