import { andInto, andNotInto, Bitset, emptyBitset, setBit } from './bitset';
import { LabelRequirement, LabelSelector, Labels } from './label-selector';

/**
 * Inverted index from label key/value to the objects carrying it, so a selector over thousands of objects
 * costs a few word-wise set operations per requirement instead of a label lookup per object.
 */
export class LabelIndex {
  private readonly byKeyValue = new Map<string, Map<string, number[]>>();
  private readonly byKey = new Map<string, number[]>();
  private readonly universe: Bitset;

  /**
   * @param size number of bits of the produced sets (may exceed the indexed objects)
   * @param members the indexed objects: their bit position and labels
   */
  constructor(private readonly size: number, members: readonly { readonly index: number; readonly labels: Labels }[]) {
    this.universe = emptyBitset(size);
    for (const member of members) {
      setBit(this.universe, member.index);
      for (const [key, value] of member.labels) {
        let values = this.byKeyValue.get(key);
        if (!values) {
          values = new Map();
          this.byKeyValue.set(key, values);
          this.byKey.set(key, []);
        }
        let indices = values.get(value);
        if (!indices) {
          indices = [];
          values.set(value, indices);
        }
        indices.push(member.index);
        this.byKey.get(key)!.push(member.index);
      }
    }
  }

  /** The indexed objects the selector matches. */
  select(selector: LabelSelector): Bitset {
    const result = this.universe.slice();
    for (const requirement of selector.requirements) {
      const carriers = this.carriers(requirement);
      if (requirement.operator === 'In' || requirement.operator === 'Exists') {
        andInto(result, carriers);
      } else {
        // NotIn and DoesNotExist keep objects without the key: subtract only the objects that carry a listed value.
        andNotInto(result, carriers);
      }
    }
    return result;
  }

  /** Objects whose label `key` is set (Exists/DoesNotExist) or set to one of the values (In/NotIn). */
  private carriers(requirement: LabelRequirement): Bitset {
    const bits = emptyBitset(this.size);
    if (requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') {
      for (const index of this.byKey.get(requirement.key) ?? []) setBit(bits, index);
      return bits;
    }
    const values = this.byKeyValue.get(requirement.key);
    if (values) {
      for (const value of requirement.values) {
        for (const index of values.get(value) ?? []) setBit(bits, index);
      }
    }
    return bits;
  }
}
