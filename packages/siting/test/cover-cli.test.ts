/** End to end: the real `fs-access cover` command in a child process, on spopt's SF files. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { enumerateMaximalCovering, readCostMatrix } from '../src/index.ts';

const repoRoot = path.resolve(__dirname, '../../..');
const DIR = path.resolve(repoRoot, '../shared/data/oracles/spopt-sf');
const COSTS = path.join(DIR, 'SF_network_distance_candidateStore_16_censusTract_205_new.csv');
const DEMAND = path.join(DIR, 'SF_demand_205_centroid_uniform_weight.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-cover-'));

function cover(args: string[]) {
  const r = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'packages/cli/src/bin.ts'), 'cover', ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SF = ['--costs', COSTS, '--from-col', 'DestinationName', '--to-col', 'name', '--cost-col', 'distance', '--demand', DEMAND, '--id-col', 'NAME', '--weight-col', 'POP2000', '--radius', '5000'];

describe.skipIf(!fs.existsSync(COSTS))('fs-access cover', () => {
  it('--p 4 --exact --json: the optimum (21 tracts uncovered, as spopt), greedy alongside', async () => {
    const r = cover([...SF, '--p', '4', '--exact', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['problem', 'method', 'radius', 'p', 'demand', 'existing', 'chosen', 'covered', 'stopReason', 'greedy']);
    expect(doc.covered.units).toBe(184);
    expect(doc.demand).toMatchObject({ units: 205, facilities: 16, uncoverable: 0, neverCoverable: [] });
    // Same optimum as the enumeration oracle, computed here in-process.
    const m = await readCostMatrix({ costsFile: COSTS, fromCol: 'DestinationName', toCol: 'name', costCol: 'distance', demandFile: DEMAND, idCol: 'NAME', weightCol: 'POP2000', radius: 5000 });
    const best = enumerateMaximalCovering({ cover: m.cover, weight: m.weight, k: 4 });
    expect(doc.covered.weight).toBe(best.covered);
    expect(doc.chosen.map((c: { id: string }) => c.id).sort()).toEqual(best.candidates.map((c) => m.facilityIds[c]).sort());
    expect(doc.greedy.weight).toBeLessThanOrEqual(doc.covered.weight);
    // Gains add up to the covered weight.
    expect(doc.chosen.reduce((a: number, c: { gain: number }) => a + c.gain, 0)).toBe(doc.covered.weight);
  });

  it('greedy JSON is byte-identical from run to run; k beyond the facilities stops early', () => {
    const a = cover([...SF, '--p', '40', '--json']);
    const b = cover([...SF, '--p', '40', '--json']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout);
    expect(doc.stopReason).toBe('no-gain');
    expect(doc.chosen.length).toBeLessThanOrEqual(16);
    expect(doc.covered.units).toBe(205);
    const gains = doc.chosen.map((c: { gain: number }) => c.gain);
    expect(gains).toEqual([...gains].sort((x: number, y: number) => y - x));
  });

  it('--minimum 100% --exact: every tract, fewest stores; human summary without --json', () => {
    const r = cover([...SF, '--minimum', '100%', '--exact']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^cover: 205 demand units \(weight 955113\), 16 facilities, radius 5000$/m);
    expect(r.stdout).toMatch(/^covered: 205 units, weight 955113 = 100\.0 %$/m);
  });

  it('bad input: exit 1 naming file and line; bad command line: exit 2', () => {
    const neg = path.join(tmp, 'neg.csv');
    fs.writeFileSync(neg, 'distance,name,DestinationName\n10,Store_1,060816029.00\n-5,Store_1,060816028.00\n');
    const r = cover([...SF.map((a) => (a === COSTS ? neg : a)), '--p', '2']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`CostFileError: ${neg}:3: negative cost -5 in column "distance"`);
    const miss = cover([...SF.map((a) => (a === 'POP2000' ? 'PEOPLE' : a)), '--p', '2']);
    expect(miss.code).toBe(1);
    expect(miss.stderr).toContain(`CostFileError: ${DEMAND}: missing column "PEOPLE" (weight)`);
    expect(cover([...SF, '--p', '2', '--minimum', '0.5']).code).toBe(2);
    expect(cover([...SF, '--p', '-1']).code).toBe(2);
    expect(cover([...SF, '--minimum', '1.5']).code).toBe(2);
    const ex = cover([...SF, '--p', '2', '--existing', 'Store_99']);
    expect(ex.code).toBe(2);
    expect(ex.stderr).toContain('--existing: facility "Store_99"');
  });
});
