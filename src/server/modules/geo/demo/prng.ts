/** A seeded source of numbers in [0, 1), so a demo seed always builds the same district. */
export type Random = () => number;

/** mulberry32: a tiny, fast 32-bit generator; plenty for laying out demo data. */
export function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator for one stage of the build, so changing one stage leaves the others' numbers alone. */
export function childRandom(seed: number, stage: number): Random {
  return mulberry32(Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(stage + 1, 0x85ebca6b));
}
