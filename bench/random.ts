/** The benchmarks' seeded sequence of uniform numbers in [0, 1): the same seed, the same figures on every run. */
export function seeded(seed: number): () => number {
  let x = seed >>> 0;
  return () => ((x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x9e3779b9) >>> 0) / 2 ** 32;
}
