/**
 * Calico selectors compiled to endpoint sets: a selector AST over the workload endpoints' labels (with the labels
 * Calico adds: `projectcalico.org/namespace`, `…/orchestrator`, `…/serviceaccount`) becomes word-wise set
 * operations over an inverted label index, cached per canonical selector text. Namespace selectors and
 * service-account selectors are evaluated once per namespace or account and expanded to their pods. Matching
 * follows `matchesSelector` exactly (selector.ts): `!=` and `not in` keep endpoints without the key, `global()`
 * matches none.
 */
import { CalicoEvaluator, isWorkload, NAMESPACED, namespaceScope } from './evaluate';
import { ServiceAccountMatch } from './model';
import { matchesSelector, printCalicoSelector, SelectorNode } from './selector';
import { andInto, andNotInto, Bitset, emptyBitset, orInto, setBit } from '../../core/bitset';
import { Cidr, cidrBlockKey } from '../../core/ip-address';

function keyOf(node: SelectorNode | undefined): string {
  return node ? printCalicoSelector(node) : '';
}

export class CalicoSelections {
  /** Every workload endpoint (pods with a workload endpoint: not hostNetwork). */
  readonly workloads: Bitset;
  private readonly size: number;
  private readonly byKeyValue = new Map<string, Map<string, number[]>>();
  private readonly podsByNamespace = new Map<string, number[]>();
  /** Workload pods grouped by `namespace/serviceAccount`, with one of them to read the account's labels from. */
  private readonly podsByAccount = new Map<string, number[]>();
  private readonly cache = new Map<string, Bitset>();

  constructor(private readonly evaluator: CalicoEvaluator) {
    const universe = evaluator.universe;
    this.size = universe.size;
    this.workloads = emptyBitset(this.size);
    for (const endpoint of universe.endpoints) {
      if (!isWorkload(endpoint)) continue;
      setBit(this.workloads, endpoint.index);
      for (const [key, value] of evaluator.podLabels(endpoint)) {
        let values = this.byKeyValue.get(key);
        if (!values) {
          values = new Map();
          this.byKeyValue.set(key, values);
        }
        push(values, value, endpoint.index);
      }
      push(this.podsByNamespace, endpoint.namespace, endpoint.index);
      push(this.podsByAccount, `${endpoint.namespace}/${endpoint.serviceAccount ?? 'default'}`, endpoint.index);
    }
  }

  /** Workload pods whose labels match. Shared: never modify it. */
  pods(node: SelectorNode): Bitset {
    return this.cached(`p|${keyOf(node)}`, () => this.compile(node));
  }

  /** The indices of the workload pods of one namespace, ascending. Shared. */
  namespacePodIndices(namespace: string): readonly number[] {
    return this.podsByNamespace.get(namespace) ?? [];
  }

  /** Workload pods of one namespace. Shared. */
  podsOfNamespace(namespace: string): Bitset {
    return this.cached(`n|${namespace}`, () => this.indices(this.podsByNamespace.get(namespace) ?? []));
  }

  /**
   * Workload pods of the namespaces a selector matches over the namespace labels (with `projectcalico.org/name`).
   * `rule`: a rule's `namespaceSelector`, where `all()` means "namespaced" and `global()` "not namespaced"
   * (libcalico-go rules.go); pods are always namespaced. Shared.
   */
  podsOfNamespaces(node: SelectorNode, rule: boolean): Bitset {
    return this.cached(`${rule ? 'r' : 's'}|${keyOf(node)}`, () => {
      const bits = emptyBitset(this.size);
      const scoped = rule ? namespaceScope(node) : node;
      for (const [namespace, pods] of this.podsByNamespace) {
        const labels = this.evaluator.labelsOfNamespace(namespace);
        if (matchesSelector(scoped, rule ? new Map([...labels, [NAMESPACED, '']]) : labels)) for (const index of pods) setBit(bits, index);
      }
      return bits;
    });
  }

  /** Workload pods running as a matching service account (`names` and `selector` ANDed, as rules.go combines them). Shared. */
  podsOfServiceAccounts(match: ServiceAccountMatch): Bitset {
    return this.cached(`a|${(match.names ?? []).map((name) => JSON.stringify(name)).join(',')}|${match.names ? 'n' : ''}|${keyOf(match.selector)}`, () => {
      const bits = emptyBitset(this.size);
      for (const pods of this.podsByAccount.values()) {
        const endpoint = this.evaluator.universe.endpoints[pods[0]];
        if (match.names && !match.names.includes(endpoint.serviceAccount ?? 'default')) continue;
        if (match.selector && !matchesSelector(match.selector, this.evaluator.serviceAccountLabels(endpoint))) continue;
        for (const index of pods) setBit(bits, index);
      }
      return bits;
    });
  }

  /** Endpoints with an address in one of the CIDRs (any address, any endpoint kind). Shared. */
  addresses(cidrs: readonly Cidr[]): Bitset {
    const universe = this.evaluator.universe;
    if (cidrs.length === 1) return universe.selectCidrBlock({ cidr: cidrs[0], except: [] });
    return this.cached(`c|${cidrs.map((cidr) => cidrBlockKey({ cidr, except: [] })).join(';')}`, () => {
      const bits = emptyBitset(this.size);
      for (const cidr of cidrs) orInto(bits, universe.selectCidrBlock({ cidr, except: [] }));
      return bits;
    });
  }

  private compile(node: SelectorNode): Bitset {
    switch (node.kind) {
      case 'all': return this.workloads.slice();
      case 'global': return emptyBitset(this.size);
      case 'has': return this.carriers(node.key, () => true);
      case 'compare': {
        switch (node.op) {
          case '==': return this.carriers(node.key, (value) => value === node.value);
          case '!=': return this.complement(this.carriers(node.key, (value) => value === node.value));
          case 'contains': return this.carriers(node.key, (value) => value.includes(node.value));
          case 'starts with': return this.carriers(node.key, (value) => value.startsWith(node.value));
          case 'ends with': return this.carriers(node.key, (value) => value.endsWith(node.value));
        }
      }
      // eslint-disable-next-line no-fallthrough
      case 'set': {
        const members = this.carriers(node.key, (value) => node.values.includes(value));
        return node.negated ? this.complement(members) : members;
      }
      case 'not': return this.complement(this.compile(node.operand));
      case 'and': {
        const [first, ...rest] = node.operands;
        const bits = this.compile(first);
        for (const operand of rest) andInto(bits, this.compile(operand));
        return bits;
      }
      case 'or': {
        const bits = emptyBitset(this.size);
        for (const operand of node.operands) orInto(bits, this.compile(operand));
        return bits;
      }
    }
  }

  /** Workload pods whose label `key` is set to a value passing `test`. */
  private carriers(key: string, test: (value: string) => boolean): Bitset {
    const bits = emptyBitset(this.size);
    for (const [value, indices] of this.byKeyValue.get(key) ?? []) {
      if (test(value)) for (const index of indices) setBit(bits, index);
    }
    return bits;
  }

  private complement(bits: Bitset): Bitset {
    const result = this.workloads.slice();
    andNotInto(result, bits);
    return result;
  }

  private indices(list: readonly number[]): Bitset {
    const bits = emptyBitset(this.size);
    for (const index of list) setBit(bits, index);
    return bits;
  }

  private cached(key: string, compute: () => Bitset): Bitset {
    let bits = this.cache.get(key);
    if (!bits) {
      bits = compute();
      this.cache.set(key, bits);
    }
    return bits;
  }
}

function push<K>(map: Map<K, number[]>, key: K, index: number): void {
  const list = map.get(key);
  if (list) list.push(index); else map.set(key, [index]);
}
