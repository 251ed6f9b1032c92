/**
 * A seedable source of randomness: ties between equally scored nodes are broken with it, so a
 * test can fix the seed and get the same placements every run.
 */
import { randomInt } from 'node:crypto';

/** Returns a number in [0, 1). */
export type Random = () => number;

/** A deterministic generator (mulberry32) for `seed`, or a randomly seeded one without a seed. */
export function seededRandom(seed: number = randomInt(2 ** 31)): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
