import * as fs from 'fs';
import * as path from 'path';
import { BUNDLED_SCHEMAS_DIR, buildSchemaBundles, DEFAULT_SCHEMAS_DIR } from '../../scripts/bundle-schemas';

const SCHEMAS_DIR = DEFAULT_SCHEMAS_DIR;

describe('bundled schemas', () => {
  let expected: Map<string, string>;
  beforeAll(() => {
    expected = buildSchemaBundles(SCHEMAS_DIR);
  });

  test('match what scripts/bundle-schemas.ts builds from test/fixtures/schemas and kubernetes-models', () => {
    const committed = fs.readdirSync(BUNDLED_SCHEMAS_DIR).filter(f => f.endsWith('.json')).sort();
    expect(committed).toEqual([...expected.keys()].sort());
    for (const [file, content] of expected) {
      // On failure, regenerate: npx ts-node --project test/tsconfig.json scripts/bundle-schemas.ts
      expect({ file, upToDate: fs.readFileSync(path.join(BUNDLED_SCHEMAS_DIR, file), 'utf8') === content }).toEqual({ file, upToDate: true });
    }
  });

  test('ConfigSync and Porch come from the versions Nephio R5 ships', () => {
    const configsync = JSON.parse(expected.get('configsync.json')!);
    const porch = JSON.parse(expected.get('porch.json')!);
    expect(configsync.sources).toEqual(['configsync/rootsync-crd.nephio-r5-catalog.yaml', 'configsync/reposync-crd.v1.18.3.yaml']);
    expect(porch.sources.every((s: string) => !s.includes('porch-main'))).toBe(true);
    // config-sync main adds githubapp; the R5 version does not know it.
    const rootSync = configsync.schemas[configsync.kinds[0].versions[1].schema];
    expect(rootSync.properties.spec.properties.git.properties.auth.enum).not.toContain('githubapp');
  });
});
