/** What the synthetic probe benchmarks (Cilium, Istio) share: namespace names and a deterministic generator. */

/** `ns-0001`: the synthetic namespaces, in order. */
export function namespaceName(index: number): string {
  return `ns-${String(index).padStart(4, '0')}`;
}

/** A deterministic linear congruential generator (Numerical Recipes' constants): the same probes on every run. */
export function random(seed: number): () => number {
  let state = seed % 2 ** 32;
  return () => {
    state = (state * 1664525 + 1013904223) % 2 ** 32;
    return state / 2 ** 32;
  };
}
