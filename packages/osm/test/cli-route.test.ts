/** The `fs-access route` command, run as a user runs it (child process). */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildCarGraph, route } from '../src/index.ts';
import { fixture, hasData, osmFile } from './helpers.ts';

const repoRoot = path.resolve(__dirname, '../../..');
function cli(args: string[]) {
  const r = spawnSync(path.join(repoRoot, 'node_modules/.bin/tsx'), [path.join(repoRoot, 'packages/cli/src/bin.ts'), 'route', ...args], { cwd: repoRoot, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-route-'));

describe('fs-access route', () => {
  it.skipIf(!hasData)('prints distance, time and points; --json and --geojson agree with the library', async () => {
    const args = ['--osm', osmFile('monaco'), '--from', '43.7384,7.4246', '--to', '43.7311,7.4197'];
    const text = cli(args);
    expect(text.code).toBe(0);
    const lib = route(await buildCarGraph(osmFile('monaco')), [7.4246, 43.7384], [7.4197, 43.7311]);
    expect(text.stdout).toContain(`distance  ${lib.distanceM.toFixed(1)} m`);
    expect(text.stdout).toContain(`time      ${lib.timeS.toFixed(1)} s`);
    expect(text.stdout).toContain(`points    ${lib.coordinates.length}`);

    const out = path.join(tmp, 'route.geojson');
    const json = cli([...args, '--metric', 'distance', '--json', '--geojson', out]);
    expect(json.code).toBe(0);
    const j = JSON.parse(json.stdout);
    expect(j.metric).toBe('distance');
    expect(j.distance_m).toBeLessThanOrEqual(lib.distanceM);
    expect(j.time_s).toBeGreaterThanOrEqual(lib.timeS);
    const f = JSON.parse(fs.readFileSync(out, 'utf8'));
    expect(f.type).toBe('Feature');
    expect(f.geometry.type).toBe('LineString');
    expect(f.geometry.coordinates.length).toBe(j.points);
    expect(f.properties.distance_m).toBe(j.distance_m);
    expect(fs.readdirSync(tmp).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });

  it('reads OSM XML too (a hand-written fixture)', () => {
    const r = cli(['--osm', fixture('oneway.osm'), '--from', '48.8499,2.3518', '--to', '48.8499,2.3502', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).distance_m).toBeGreaterThan(390);
  });

  it('bad input: typed error on stderr (exit 1, no stack trace); bad options: usage (exit 2)', () => {
    const junk = path.join(tmp, 'junk.osm.pbf');
    fs.writeFileSync(junk, Buffer.from('\x00\x00\x00\x0dnot an osm file at all'));
    const bad = cli(['--osm', junk, '--from', '43.73,7.42', '--to', '43.74,7.42']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/OsmFormatError: .*junk\.osm\.pbf: blob 0 at byte 0/);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    const far = cli(['--osm', fixture('oneway.osm'), '--from', '40,2', '--to', '48.85,2.35']);
    expect(far.code).toBe(1);
    expect(far.stderr).toContain('RouteError: start point (lat 40, lon 2) is farther than 1000 m');
    const usage = cli(['--osm', fixture('oneway.osm'), '--from', '48.85', '--to', '48.85,2.35']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--from must be LAT,LON');
    const metric = cli(['--osm', fixture('oneway.osm'), '--from', '48.85,2.35', '--to', '48.85,2.35', '--metric', 'fastest']);
    expect(metric.code).toBe(2);
  });
});
