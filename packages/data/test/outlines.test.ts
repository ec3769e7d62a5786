import { describe, expect, it } from 'vitest';
import { loadOutlines, assignCommunes, outlineAt, outlineBBox, insideOutline } from '../src/outlines.ts';
import { JsonInputError } from '../src/errors.ts';
import type { Households } from '../src/types.ts';
import { fixture, tempDir, writeFile } from './helpers.ts';

function points(coords: [number, number][], households: number[] = coords.map(() => 1)): Households {
  const n = coords.length;
  return {
    kind: 'grid',
    count: n,
    id: coords.map((_, i) => `p${i}`),
    lon: Float64Array.from(coords, (c) => c[0]),
    lat: Float64Array.from(coords, (c) => c[1]),
    households: Float64Array.from(households),
    inhabitants: new Float64Array(n),
    poor: new Float64Array(n),
    commune: coords.map(() => ''),
    x3035: new Float64Array(n),
    y3035: new Float64Array(n),
    rejected: [],
  };
}

describe('outlines', () => {
  const o = loadOutlines(fixture('outlines', 'squares.geojson'));

  it('reads codes, names and boxes', () => {
    expect(o.count).toBe(3);
    expect(o.code).toEqual(['87901', '87902', '87903']);
    expect(o.name[2]).toBe('Îles');
    expect(Array.from(o.bbox.subarray(8, 12))).toEqual([3.0, 45.0, 3.6, 45.1]);
  });

  it('finds the polygon holding a point, honouring holes and multipolygons', () => {
    expect(outlineAt(o, 1.2, 45.5)).toBe(0);
    expect(outlineAt(o, 1.9, 45.5)).toBe(1);
    expect(outlineAt(o, 1.75, 45.5)).toBe(-1); // in the hole
    expect(outlineAt(o, 3.55, 45.05)).toBe(2);
    expect(outlineAt(o, 3.3, 45.05)).toBe(-1); // between the islands, inside the bbox
    expect(outlineAt(o, 1.5, 45.5)).toBe(0); // shared border: the first outline
  });

  it('assigns communes and reports points in no outline', () => {
    const h = points(
      [
        [1.2, 45.5],
        [1.75, 45.5],
        [1.9, 45.1],
        [3.05, 45.05],
        [0, 0],
      ],
      [1, 2.5, 1, 1, 4],
    );
    const r = assignCommunes(h, o, { remap: { '87903': '87999' } });
    expect(h.commune).toEqual(['87901', '', '87902', '87999', '']);
    expect(r.assigned).toBe(3);
    expect(r.outside).toEqual([1, 4]);
    expect(r.outsideHouseholds).toBe(6.5);
  });

  it('gives a grown bbox and an inside predicate', () => {
    const b = outlineBBox(o, '87901', 1000);
    expect(b[1]).toBeCloseTo(45 - 1000 / 111320, 9);
    expect(b[0]).toBeLessThan(1.0);
    const inside = insideOutline(o, '87902');
    expect(inside(1.9, 45.5)).toBe(true);
    expect(inside(1.75, 45.5)).toBe(false);
    expect(() => insideOutline(o, '99999')).toThrow(JsonInputError);
  });

  it('throws JsonInputError naming the file and feature for bad GeoJSON', () => {
    const dir = tempDir();
    const notJson = writeFile(dir, 'a.geojson', '{"type":');
    expect(() => loadOutlines(notJson)).toThrow(`${notJson}: not valid JSON`);
    const points = writeFile(dir, 'b.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { code: '1' }, geometry: { type: 'Point', coordinates: [1, 45] } }] }));
    expect(() => loadOutlines(points)).toThrow(`${points}: feature 1: geometry must be a Polygon or MultiPolygon, got Point`);
    const nocode = writeFile(dir, 'c.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', properties: { foo: 1 }, geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] } }] }));
    expect(() => loadOutlines(nocode)).toThrow(JsonInputError);
    expect(() => loadOutlines(nocode)).toThrow(`${nocode}: feature 1: no code property`);
  });
});
