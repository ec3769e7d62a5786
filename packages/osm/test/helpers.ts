import path from 'node:path';
import fs from 'node:fs';

/** The shared real data (read-only mirror beside the repository). */
export const DATA = path.resolve(__dirname, '../../../../shared/data');
export const osmFile = (name: string) => path.join(DATA, 'osm', `${name}.osm.pbf`);
export const fixture = (name: string) => path.join(__dirname, 'fixtures', name);
export const hasData = fs.existsSync(path.join(DATA, 'osm'));

/** Deterministic PRNG (mulberry32) so random cases are the same on every run. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Figures measured with osmium-tool 1.15.0 (libosmium 2.19.0) on the shared extracts:
 *   nodes, ways, relations, bbox:  osmium fileinfo -e FILE
 *   highwayWays:                   osmium tags-filter FILE w/highway -R -o hw.pbf && osmium fileinfo -e hw.pbf  ("Number of ways")
 *   highwayNodes:                  osmium tags-filter FILE w/highway -o hw2.pbf && osmium fileinfo -e hw2.pbf  ("Number of nodes":
 *                                  nodes of the file referenced by highway ways)
 */
export const OSMIUM = {
  andorra: { nodes: 69644, ways: 2725, relations: 74, highwayWays: 1615, highwayNodes: 38556, bbox: [1.0366421, 41.7369089, 1.8252606, 42.7883379] },
  monaco: { nodes: 13739, ways: 1944, relations: 77, highwayWays: 866, highwayNodes: 4770, bbox: [7.3830115, 43.5136837, 7.5027982, 43.7543317] },
  'north-bayreuth': { nodes: 58631, ways: 7801, relations: 179, highwayWays: 2056, highwayNodes: 14166, bbox: [11.3992921, 49.8832101, 11.6746911, 50.0959122] },
} as const;
export type Extract = keyof typeof OSMIUM;
export const EXTRACTS = Object.keys(OSMIUM) as Extract[];
