import { javascript, typescript } from 'projen';

const project = new typescript.TypeScriptProject({
  name: 'nephoran-gitops',
  description: 'cdk8s construct library that synthesizes Nephio R5 / kpt / ConfigSync GitOps repositories for 5G core and O-RAN fleets',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,
  minNodeVersion: '20.0.0',
  // TypeScript 7 (native compiler) breaks ts-jest and ts-node.
  typescriptVersion: '~5.9.3',
  jestOptions: {
    jestVersion: '^29',
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    passWithNoTests: false,
    junitReporting: false,
    coverageText: false,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/lib/'],
      // Near what tests take (the slowest ordinary test takes about 12 s), so that a slow one shows;
      // the few that install packages or roll out waves set their own.
      testTimeout: 30_000,
      coverageProvider: 'v8',
      collectCoverage: false,
      testMatch: ['<rootDir>/test/**/*.test.ts'],
    },
  },
  eslint: true,
  eslintOptions: {
    dirs: ['src'],
    devdirs: ['test', 'bench', 'scripts', 'clusters'],
    fileExtensions: ['.ts'],
    // `npm test` reports lint errors and fails; it never rewrites files. `npx projen eslint:fix` applies the fixes.
    commandOptions: { fix: false },
  },
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,
  sampleCode: false,
  licensed: true,
  license: 'Apache-2.0',
  // Placeholder until the project has a public home: the URL npm shows and resolves README links against.
  repository: 'https://github.com/nephoran/nephoran-gitops.git',
  homepage: 'https://github.com/nephoran/nephoran-gitops#readme',
  bugsUrl: 'https://github.com/nephoran/nephoran-gitops/issues',
  keywords: ['cdk8s', 'constructs', 'kubernetes', 'gitops', 'nephio', 'porch', 'kpt', 'configsync', '5g', '5g-core', 'o-ran', 'telco'],
  // `files` below is the one list of what ships; a second list in .npmignore would only drift.
  npmignoreEnabled: false,
  peerDeps: ['cdk8s@^2.70.0', 'constructs@^10.3.0', 'cdk8s-plus-28@^2.5.6'],
  peerDependencyOptions: { pinnedDevDependency: false },
  devDeps: [
    'cdk8s@2.70.106', 'constructs@10.8.1', 'cdk8s-plus-28@2.5.6', 'cdk8s-cli@^2',
    // @swc-node/register runs the example app (cdk8s.yaml) with transpile-only TypeScript: @swc/core
    // compiles each file in-process with its native binary (shipped in the @swc/core-<platform>
    // package), so `nephoran publish` and `diff` start the app about 4 times faster than under
    // ts-node (measured beside esbuild-register and sucrase; esbuild's per-file call to its
    // service process made it slower here).
    '@swc-node/register@^1.12.1',
    '@swc/core@^1.16.22',
    // ts-json-schema-generator writes the JSON Schema of the intent kinds from their TypeScript
    // types (src/intent/schema/), so editors and the loader check one definition. 2.4 is the last
    // line that runs on Node 20 (2.5 and later need Node 22).
    'ts-json-schema-generator@~2.4.0',
  ],
  deps: [
    'yaml@^2.9.1',
    'simple-git@^3.27.0',
    // ajv validates synthesized custom resources against the real CRD schemas in shared/schemas.
    'ajv@^8.17.1',
    // kubernetes-models validates core Kubernetes objects offline (4.x runs on Node 20).
    'kubernetes-models@^4.5.1',
    // commander parses the nephoran command line (subcommands, help, option errors).
    'commander@^12.1.0',
    // @kubernetes/client-node reads RootSync and ResourceGroup status from each cluster (kubeconfig
    // contexts, auth plugins, TLS). 1.4 is the last line that runs on Node 20 (2.x needs undici 8 /
    // Node 22); it is an ES module, loaded through Node's require(esm).
    '@kubernetes/client-node@~1.4.0',
  ],
  bin: { nephoran: 'bin/nephoran' },
  gitignore: ['/dist/', '/.nephoran/', '/bench/out/', '*.tsbuildinfo', '/test/.readme-examples/', '/images/policy-enforcer/*.tgz'],
  tsconfig: {
    compilerOptions: {
      lib: ['es2022'],
      target: 'ES2022',
      skipLibCheck: true,
      // No source maps in lib/: inline maps with their sources were two thirds of the package, and
      // ES2022 output reads close to the TypeScript it came from; the .d.ts files carry the types.
      inlineSourceMap: false,
      inlineSources: false,
    },
  },
  tsconfigDev: {
    compilerOptions: { lib: ['es2022'], target: 'ES2022', skipLibCheck: true },
    // bench and soak run through ts-node --transpile-only: this is where they are type-checked.
    include: ['../bench/**/*.ts', '../clusters/**/*.ts', '../scripts/**/*.ts'],
  },
});

const eslint = project.eslint!;
// The project service parses each file with the nearest tsconfig.json: the root one (src/) or test/tsconfig.json.
// bench/, scripts/ and clusters/ have none of their own; they are type-checked by test/tsconfig.json, so they are
// parsed with it.
// projen's EslintOverride type has no parserOptions; eslint's overrides take them.
const parsedWithDevTsconfig: javascript.EslintOverride & { readonly parserOptions: object } = {
  files: ['bench/**/*.ts', 'scripts/**/*.ts', 'clusters/**/*.ts'],
  parserOptions: { projectService: false, project: `./${project.tsconfigDev.fileName}` },
};
eslint.addOverride(parsedWithDevTsconfig);
// no-bitwise is off: IPv4 address math (prefixes, masks, host offsets) and hashing are bitwise by nature, and
// the typo the rule guards against, `|` for `||` between booleans, is already a tsc error (TS2447).
eslint.addRules({ 'no-bitwise': 'off' });
// The eslint task passes its arguments on, so this lints the same files with the same configuration.
project.addTask('eslint:fix', {
  description: 'Runs eslint against the codebase and applies its automatic fixes',
  exec: 'projen eslint --fix',
});

// release: false leaves the version at 0.0.0; the version is set here and recorded in CHANGELOG.md.
project.package.addVersion('0.1.0');
// What the package ships: the compiled library and its declarations, the JSON it loads at run
// time (the bundled schemas of src/apis/validation/schemas, which tsc copies into lib/ since they
// are imported), the CLI and the docs. Not src/: the inline source maps in lib/ already carry the
// TypeScript sources for debuggers, and lib/**/*.d.ts are the types.
project.package.addField('files', [
  'lib/**/*.js',
  'lib/**/*.d.ts',
  'lib/**/*.json',
  'bin/',
  'docs/',
  'CHANGELOG.md',
]);
// One entry point: deep imports of lib/ are not part of the API.
project.package.addField('exports', {
  '.': { types: './lib/index.d.ts', default: './lib/index.js' },
  './package.json': './package.json',
});

project.addTask('synth:example', {
  description: 'Synthesize the example fleet in clusters/ and publish it to the embedded local remote',
  exec: 'node bin/nephoran publish',
});
project.addTask('intent-schema', {
  description: 'Regenerate src/intent/schema/intent.schema.json from the NetworkIntent types (src/intent/types.ts)',
  exec: 'ts-node --transpile-only --project test/tsconfig.json scripts/intent-schema.ts',
});
project.addTask('bench', {
  description: 'Benchmarks beside the plain-cdk8s baseline',
  exec: 'ts-node --transpile-only --project test/tsconfig.json bench/run.ts',
  receiveArgs: true,
});

// The CRD and Kptfile validators, compiled ahead of time into ajv standalone code: run after a
// schema or the validation options change (test/apis/precompiled-validators.test.ts says when).
project.addTask('validators', {
  description: 'Regenerate src/apis/validation/precompiled/ from the bundled schemas',
  exec: 'node -r @swc-node/register scripts/generate-validators.ts',
});

// The soak: crash, race, fault and leak trials against real git remotes (minutes; not part of test).
const soak = project.addTask('soak', { description: 'Crash, race, fault and credential-leak trials against real git remotes, with counts' });
soak.spawn(project.compileTask);
soak.exec('ts-node --transpile-only --project test/tsconfig.json scripts/soak.ts', { receiveArgs: true });

// tsc never removes the output of a source that was moved or deleted, and `files` would ship it:
// after compiling, remove every file in lib/ whose source in src/ is gone.
project.compileTask.exec(`node -e "${[
  "const fs = require('fs'), path = require('path');",
  'const walk = d => fs.readdirSync(d, { withFileTypes: true }).flatMap(e => e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]);',
  "for (const f of walk('lib')) {",
  "const m = /^lib\\/(.*)\\.(d\\.ts|js|json)$/.exec(f.split(path.sep).join('/'));",
  "if (m && !fs.existsSync(path.join('src', m[1] + (m[2] === 'json' ? '.json' : '.ts')))) { fs.rmSync(f); console.log('removed stale ' + f); }",
  '}',
].join(' ')}"`);

// The CLI tests run bin/nephoran, which loads the compiled lib/: compile before every test run.
project.testTask.prependSpawn(project.compileTask);

project.synth();
