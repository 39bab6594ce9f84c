import { Alias, isAlias, isMap, isPair, isScalar, isSeq, Node, Pair, Scalar } from 'yaml';
import { goFloat32KeyText, resolvePlainScalar } from './go-yaml-scalars';

/** A problem in one document: the JSON path of the field when known, and what is wrong. */
export interface InputProblem {
  readonly path?: string;
  readonly message: string;
}

export type InputProblemSink = (documentIndex: number, problem: InputProblem) => void;

/**
 * go-yaml v2's defence against alias amplification ("billion laughs"), decode.go since v2.2.4: once more
 * than 100 of the decoded nodes came from expanding aliases and more than 1000 nodes were decoded, the
 * share of alias-expanded nodes may not exceed 99% for up to 400,000 decoded nodes, falling linearly to
 * 10% at 4,000,000. The API server refuses such documents with "document contains excessive aliasing".
 */
function allowedAliasRatio(decodeCount: number): number {
  const low = 400_000;
  const high = 4_000_000;
  if (decodeCount <= low) return 0.99;
  if (decodeCount >= high) return 0.1;
  return 0.99 - 0.89 * ((decodeCount - low) / (high - low));
}

/** How many problems one document may report before the rest of it is skipped. */
export const MAX_PROBLEMS_PER_DOCUMENT = 20;

/** Stops converting a document: expanding it further would be unsafe or meaningless. */
class StopDocument extends Error {
  constructor(readonly problem: InputProblem) {
    super(problem.message);
  }
}

function joinKey(path: string | undefined, key: string): string {
  return path ? `${path}.${key}` : key;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets an own property even for `__proto__`, as JSON.parse does, instead of changing the prototype. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/**
 * Turns a composed YAML document into the JSON value the API server would see: sigs.k8s.io/yaml runs
 * go-yaml v2 in strict mode into `interface{}` and converts that to JSON. So, as there:
 * - a key set twice in one map is an error, also when one of them comes through a `<<` merge
 *   (go-yaml's strict setMapIndex: "key already set in map");
 * - keys that are numbers or booleans become their text (ints as decimal, floats as Go's float32 %g),
 *   null keys and collection keys are errors;
 * - `.inf` and `.nan` are errors, since JSON cannot hold them;
 * - aliases are expanded, with go-yaml's amplification limit and its self-reference error.
 * Beyond that, nesting deeper than `maxDepth` (aliases expanded) is an error, so that no reader of the
 * value can overflow the stack.
 */
export function toJsonValue(contents: Node | null, maxDepth: number, problems: InputProblem[]): unknown {
  const converter = new Converter(maxDepth, problems);
  try {
    return converter.value(contents, undefined, 0);
  } catch (error) {
    if (error instanceof StopDocument) {
      problems.push(error.problem);
      return undefined;
    }
    throw error;
  }
}

class Converter {
  private decodeCount = 0;
  private aliasCount = 0;
  private aliasDepth = 0;
  /** Anchors as defined so far in document order: an alias refers to the last one before it. */
  private readonly anchors = new Map<string, Node>();
  /** The node each alias refers to, fixed when the alias is first read (in document order). */
  private readonly targets = new Map<Alias, Node | undefined>();
  /** Aliases being expanded, to catch an anchor that contains an alias to itself. */
  private readonly expanding = new Set<Alias>();

  constructor(private readonly maxDepth: number, private readonly problems: InputProblem[]) {}

  /** Records a problem; past MAX_PROBLEMS_PER_DOCUMENT, gives up on the document (a generated file can repeat one mistake 100,000 times). */
  private report(problem: InputProblem): void {
    if (this.problems.length >= MAX_PROBLEMS_PER_DOCUMENT) {
      throw new StopDocument({ message: `more than ${MAX_PROBLEMS_PER_DOCUMENT} problems in this document; the rest of it was not checked` });
    }
    this.problems.push(problem);
  }

  value(node: unknown, path: string | undefined, depth: number): unknown {
    this.countDecode(path);
    if (node === null || node === undefined) return null;
    if (isAlias(node)) return this.alias(node, path, depth);
    const anchored = node as Node;
    // go-yaml registers an anchor when its node starts, so an alias inside the node refers to it.
    if (anchored.anchor && this.aliasDepth === 0) this.anchors.set(anchored.anchor, anchored);
    if (isScalar(node)) return this.scalar(node, path);
    if (depth >= this.maxDepth) {
      throw new StopDocument({ ...(path ? { path } : {}), message: `nested more than ${this.maxDepth} levels deep (aliases expanded)` });
    }
    if (isMap(node)) return this.map(node.items, path, depth + 1);
    if (isSeq(node)) {
      return node.items.map((item, index) => isPair(item)
        ? this.map([item], `${path ?? ''}[${index}]`, depth + 2)
        : this.value(item, `${path ?? ''}[${index}]`, depth + 1));
    }
    return null;
  }

  private countDecode(path: string | undefined): void {
    this.decodeCount++;
    if (this.aliasDepth > 0) this.aliasCount++;
    if (this.aliasCount > 100 && this.decodeCount > 1000 && this.aliasCount / this.decodeCount > allowedAliasRatio(this.decodeCount)) {
      throw new StopDocument({
        ...(path ? { path } : {}),
        message: 'document contains excessive aliasing (anchors and aliases expand to far more than the document holds); ' +
          'the API server rejects it too. Write the repeated parts out or reduce the aliases',
      });
    }
  }

  private alias(node: Alias, path: string | undefined, depth: number): unknown {
    if (!this.targets.has(node)) this.targets.set(node, this.anchors.get(node.source));
    const target = this.targets.get(node);
    if (!target) {
      this.report({ ...(path ? { path } : {}), message: `unknown anchor '${node.source}' referenced` });
      return null;
    }
    if (this.expanding.has(node)) {
      throw new StopDocument({ ...(path ? { path } : {}), message: `anchor '${node.source}' value contains itself` });
    }
    this.expanding.add(node);
    this.aliasDepth++;
    try {
      return this.value(target, path, depth);
    } finally {
      this.aliasDepth--;
      this.expanding.delete(node);
    }
  }

  private scalar(node: Scalar, path: string | undefined): unknown {
    const value = node.value;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      this.report({
        ...(path ? { path } : {}),
        message: `${String(node.source)} is not a number JSON can hold (the API server rejects it); quote it if it is meant as a string`,
      });
      return null;
    }
    return value;
  }

  private map(items: readonly Pair[], path: string | undefined, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const set = (key: string, value: unknown): void => {
      if (Object.prototype.hasOwnProperty.call(out, key)) {
        this.report({ path: joinKey(path, key), message: `duplicate key '${key}'` });
        return;
      }
      setOwn(out, key, value);
    };
    for (const pair of items) {
      const keyNode = pair.key;
      if (isMergeKey(keyNode)) {
        this.merge(pair.value, path, depth, set);
        continue;
      }
      const key = this.key(keyNode, path, depth);
      const value = this.value(pair.value, key === undefined ? path : joinKey(path, key), depth);
      if (key !== undefined) set(key, value);
    }
    return out;
  }

  /** The JSON text of a key, as sigs.k8s.io/yaml's convertToJSONableObject writes it; undefined (and a problem) when it has none. */
  private key(node: unknown, path: string | undefined, depth: number): string | undefined {
    const value = this.value(node, path, depth);
    if (typeof value === 'string') return value;
    if (typeof value === 'boolean') return value ? 'true' : 'false';
    if (typeof value === 'number') return isFloatScalar(node) ? goFloat32KeyText(value) : String(value);
    const what = value === null ? 'a null key (~, null or nothing)' : `a ${Array.isArray(value) ? 'list' : 'map'} as a key`;
    this.report({ ...(path ? { path } : {}), message: `${what} is not allowed; the API server rejects it` });
    return undefined;
  }

  /** `<<: map`, `<<: *alias` or `<<: [maps or aliases]`: every entry is set as if written here. */
  private merge(node: unknown, path: string | undefined, depth: number, set: (key: string, value: unknown) => void): void {
    const value = this.value(node, path, depth);
    const sources = Array.isArray(value) ? [...value].reverse() : [value];
    if (!sources.every(isObject)) {
      this.report({ path: joinKey(path, '<<'), message: 'map merge requires map or sequence of maps as the value' });
      return;
    }
    for (const source of sources) {
      for (const key of Object.keys(source)) set(key, source[key]);
    }
  }
}

/** go-yaml's isMerge: a plain, untagged `<<` key. */
function isMergeKey(node: unknown): boolean {
  return isScalar(node) && node.type === 'PLAIN' && !node.tag && node.source === '<<';
}

/** True when a numeric key is a float rather than an int (they become different key texts). */
function isFloatScalar(node: unknown): boolean {
  if (isAlias(node) || !isScalar(node)) return false;
  if (node.tag === 'tag:yaml.org,2002:float') return true;
  return !node.tag && node.type === 'PLAIN' && resolvePlainScalar(String(node.source)).type === 'float';
}
