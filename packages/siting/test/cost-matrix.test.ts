import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CostFileError, readCostMatrix, SitingInputError, type CostMatrixOptions } from '../src/index.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-siting-'));
let n = 0;
function file(text: string): string {
  const f = path.join(tmp, `f${n++}.csv`);
  fs.writeFileSync(f, text);
  return f;
}

const DEMAND = 'id,households\r\n007,10\r\n7,2.5\r\n010,0\r\n';
function opts(costs: string, demand = DEMAND, extra: Partial<CostMatrixOptions> = {}): CostMatrixOptions {
  return { costsFile: file(costs), demandFile: file(demand), fromCol: 'origin', toCol: 'dest', costCol: 'time', idCol: 'id', weightCol: 'households', radius: 10, ...extra };
}

describe('readCostMatrix', () => {
  it('keeps ids as strings, groups pairs within the radius, reports never-coverable units', async () => {
    const m = await readCostMatrix(opts('origin,dest,time\n007,A,5\n7,A,11\n7,B,10\n007,B,3\n007,B,30\n'));
    expect(m.demandIds).toEqual(['007', '7', '010']);
    expect(m.facilityIds).toEqual(['A', 'B']);
    expect(Array.from(m.weight)).toEqual([10, 2.5, 0]);
    expect(Array.from(m.cover.row(0))).toEqual([0]); // A: 007 only (7 is at 11 > 10)
    expect(Array.from(m.cover.row(1))).toEqual([0, 1]); // B: 007 (3, listed twice) and 7 (10 ≤ 10)
    expect(Array.from(m.absent)).toEqual([2]); // 010 never appears in the cost file
    expect(Array.from(m.uncoverable)).toEqual([2]);
  });

  it('semicolon files with decimal commas and a BOM; empty cost = no route', async () => {
    const m = await readCostMatrix(opts('\uFEFForigin;dest;time\n007;A;9,5\n7;A;\n', 'id;households\n007;1,5\n7;2\n'));
    expect(Array.from(m.weight)).toEqual([1.5, 2]);
    expect(Array.from(m.cover.row(0))).toEqual([0]);
    expect(m.emptyCosts).toBe(1);
    expect(Array.from(m.uncoverable)).toEqual([1]);
    expect(m.absent.length).toBe(0);
  });

  it('missing columns: names the file and each missing column', async () => {
    const o = opts('origin,destination,cost\n007,A,5\n');
    await expect(readCostMatrix(o)).rejects.toThrow(CostFileError);
    await expect(readCostMatrix(o)).rejects.toThrow(`${o.costsFile}: missing columns "dest" (facility id), "time" (cost)`);
    const d = opts('origin,dest,time\n007,A,5\n', 'id,hh\n007,1\n');
    await expect(readCostMatrix(d)).rejects.toThrow(`${d.demandFile}: missing column "households" (weight)`);
  });

  it('negative or non-numeric cost: file and line', async () => {
    const o = opts('origin,dest,time\n007,A,5\n7,A,-2\n');
    await expect(readCostMatrix(o)).rejects.toThrow(`${o.costsFile}:3: negative cost -2 in column "time"`);
    const o2 = opts('origin,dest,time\r\n007,A,5\r\n7,A,abc\r\n');
    await expect(readCostMatrix(o2)).rejects.toThrow(`${o2.costsFile}:3: cost "abc" in column "time" is not a number`);
  });

  it('duplicate demand id, bad weight: file and line', async () => {
    const o = opts('origin,dest,time\n007,A,5\n', 'id,households\n007,1\n7,1\n007,3\n');
    await expect(readCostMatrix(o)).rejects.toThrow(`${o.demandFile}:4: duplicate demand id "007" (first at line 2)`);
    const w = opts('origin,dest,time\n007,A,5\n', 'id,households\n007,1\n7,-1\n');
    await expect(readCostMatrix(w)).rejects.toThrow(`${w.demandFile}:3: weight "-1" in column "households" is not a finite number ≥ 0`);
  });

  it('unknown demand id in the cost file: error by default, skipped with unknownDemand "ignore"', async () => {
    const costs = 'origin,dest,time\n007,A,5\n999,A,1\n';
    const o = opts(costs);
    await expect(readCostMatrix(o)).rejects.toThrow(`${o.costsFile}:3: demand id "999" is not in the demand file`);
    const m = await readCostMatrix(opts(costs, DEMAND, { unknownDemand: 'ignore' }));
    expect(m.ignoredRows).toBe(1);
    expect(m.costRows).toBe(2);
  });

  it('empty files and a bad radius', async () => {
    await expect(readCostMatrix(opts(''))).rejects.toThrow(/empty file/);
    await expect(readCostMatrix(opts('origin,dest,time\n'))).rejects.toThrow(/header only/);
    await expect(readCostMatrix(opts('origin,dest,time\n007,A,1\n', DEMAND, { radius: -1 }))).rejects.toThrow(SitingInputError);
    await expect(readCostMatrix({ ...opts('origin,dest,time\n007,A,1\n'), costsFile: path.join(tmp, 'nope.csv') })).rejects.toThrow(/cannot read/);
  });
});
