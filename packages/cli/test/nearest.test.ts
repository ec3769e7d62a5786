import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, sharedData } from './run-cli.ts';
import { floydWarshall } from '../../graph/test/oracle.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-nearest-'));
const NY = path.join(sharedData, 'graphs/USA-road-t.NY.gr.gz');

describe('fs-access nearest', () => {
  it('writes node,cost,source for every node; matches brute force on a small graph', () => {
    const arcs = [
      [1, 2, 4],
      [2, 3, 1],
      [3, 1, 1],
      [4, 3, 2],
      [3, 4, 9],
    ];
    const gr = path.join(tmp, 'small.gr');
    fs.writeFileSync(gr, `p sp 5 ${arcs.length}\n` + arcs.map((a) => `a ${a.join(' ')}`).join('\n') + '\n');
    const out = path.join(tmp, 'small.csv');
    const r = runCli(['nearest', '--graph', gr, '--sources', '1,4', '--out', out]);
    expect(r.code).toBe(0);
    const d = floydWarshall(5, arcs.map(([u, v, w]) => ({ u: u - 1, v: v - 1, w })));
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('node,cost,source');
    for (let v = 0; v < 5; v++) {
      const [c1, c4] = [d[v * 5 + 0], d[v * 5 + 3]];
      const best = Math.min(c1, c4);
      const expected = best === Infinity ? `${v + 1},,` : `${v + 1},${best},${c1 <= c4 ? 1 : 4}`;
      expect(lines[v + 1]).toBe(expected);
    }
  });

  it.skipIf(!fs.existsSync(NY))('reads the gzip NY graph and writes 264,346 rows', () => {
    const out = path.join(tmp, 'ny.csv');
    const r = runCli(['nearest', '--graph', NY, '--sources', '1,1000,100000', '--max', '500000', '--out', out]);
    expect(r.code).toBe(0);
    const lines = fs.readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(lines.length).toBe(264_347);
    expect(lines[1]).toBe('1,0,1');
    const empty = lines.filter((l) => l.endsWith(',,')).length;
    expect(empty).toBeGreaterThan(0); // the cut-off leaves far nodes without a source
  });

  it('bad input: typed error naming file and line, exit 1, no output left', () => {
    const gr = path.join(tmp, 'bad.gr');
    fs.writeFileSync(gr, 'p sp 3 2\na 1 2 5\na 2 9 1\n');
    const out = path.join(tmp, 'bad.csv');
    const r = runCli(['nearest', '--graph', gr, '--sources', '1', '--out', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`DimacsError: ${gr}:3: node id 9 out of range 1..3`);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.readdirSync(tmp).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });

  it('bad command line: exit 2 with the usage', () => {
    const r = runCli(['nearest', '--graph', path.join(tmp, 'missing.gr'), '--sources', '1', '--out', path.join(tmp, 'x.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--graph: file not found/);
    expect(runCli(['frobnicate']).code).toBe(2);
  });
});
