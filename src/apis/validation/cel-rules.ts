import { SchemaNode } from './json-schema';

/** A CRD `x-kubernetes-validations` entry. */
export interface CelRule {
  readonly rule: string;
  readonly message?: string;
}

const MATCHES = /^self((?:\.[A-Za-z_]\w*)*)\.matches\('((?:[^'\\]|\\.)*)'\)$/;
const SIZE = /^size\(self((?:\.[A-Za-z_]\w*)*)\)\s*(<=|<|>=|>)\s*(\d+)$/;
const EQUALS_ONE_OF = /^self\s*==\s*'([^']*)'(?:\s*\|\|\s*self\s*==\s*'[^']*')*$/;

/**
 * Translates the few CEL rule shapes CRDs commonly use into JSON Schema: `self.a.b.matches('re')`,
 * `size(self.a) <= n` (and <, >=, >), `self == 'x' || self == 'y'`. Returns undefined for any other
 * rule: it is not checked offline, and the caller records it as such.
 */
export function translateCelRule(celRule: CelRule): SchemaNode | undefined {
  const rule = celRule.rule.trim();
  const hint = celRule.message ? { errorHint: celRule.message } : {};
  const matches = MATCHES.exec(rule);
  if (matches) return nestUnder(matches[1], { pattern: matches[2].replace(/\\\\/g, '\\'), ...hint });
  const size = SIZE.exec(rule);
  if (size) return nestUnder(size[1], { ...sizeBounds(size[2], Number(size[3])), ...hint });
  if (EQUALS_ONE_OF.test(rule)) {
    const values = rule.split('||').map(part => /'([^']*)'/.exec(part)![1]);
    return { enum: values, ...hint };
  }
  return undefined;
}

function sizeBounds(operator: string, n: number): SchemaNode {
  // CEL size() counts characters, list items or map entries; each keyword applies only to its own type.
  const bound = (limit: number, kind: 'max' | 'min') => ({ [`${kind}Length`]: limit, [`${kind}Items`]: limit, [`${kind}Properties`]: limit });
  switch (operator) {
    case '<=': return bound(n, 'max');
    case '<': return bound(n - 1, 'max');
    case '>=': return bound(n, 'min');
    default: return bound(n + 1, 'min');
  }
}

/** `.metadata.name` + schema -> `{properties: {metadata: {properties: {name: schema}}}}`. */
function nestUnder(dottedPath: string, leaf: SchemaNode): SchemaNode {
  const keys = dottedPath.split('.').filter(Boolean);
  return keys.reduceRight<SchemaNode>((inner, key) => ({ properties: { [key]: inner } }), leaf);
}
