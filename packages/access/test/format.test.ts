import { describe, expect, it } from 'vitest';
import {
  CrowFlyModel,
  buildReport,
  communesCsv,
  csvField,
  csvNumber,
  departementOfCommune,
  frDec,
  frInt,
  frPct,
  gapsGeoJson,
  householdsCsv,
  reportMarkdown,
  round,
  summaryJson,
  worstCommunes,
} from '../src/index.ts';
import { makeSites, makeUnits } from './fixtures.ts';

describe('number formatting', () => {
  it('French text: non-breaking thousands, decimal comma', () => {
    expect(frInt(184106)).toBe('184\u00a0106');
    expect(frInt(999.6)).toBe('1\u00a0000');
    expect(frInt(-1234)).toBe('-1\u00a0234');
    expect(frDec(12.345, 1)).toBe('12,3');
    expect(frDec(-0.01, 1)).toBe('0,0');
    expect(frPct(0.97845)).toBe('97,8\u00a0%');
    expect(frPct(NaN)).toBe('–');
  });

  it('JSON and CSV: fixed rounding, no -0, empty for NaN, quoted fields', () => {
    expect(round(1.006, 2)).toBe(1.01);
    expect(round(2.345678, 3)).toBe(2.346);
    expect(round(-0.0001, 2)).toBe(0);
    expect(Object.is(round(-0.0001, 2), -0)).toBe(false);
    expect(round(NaN)).toBeNull();
    expect(csvNumber(Infinity)).toBe('');
    expect(csvNumber(3.14159, 3)).toBe('3.142');
    expect(csvField('Saint-Priest-sous-Aixe')).toBe('Saint-Priest-sous-Aixe');
    expect(csvField('La Poste, "centre"')).toBe('"La Poste, ""centre"""');
  });

  it('département of a commune code', () => {
    expect(departementOfCommune('87085')).toBe('87');
    expect(departementOfCommune('2A004')).toBe('2A');
    expect(departementOfCommune('97411')).toBe('974');
    expect(departementOfCommune('01001')).toBe('01');
  });
});

describe('report files on a small case', () => {
  const units = makeUnits([
    { lon: 1.0, lat: 45.5, households: 100, commune: '87001' },
    { lon: 1.6, lat: 45.9, households: 50, commune: '87002' },
    { lon: 1.3, lat: 45.6, households: 30, commune: '87003' },
  ]);
  const sites = makeSites([
    { lon: 1.0, lat: 45.5 },
    { lon: 1.3, lat: 45.62, departement: '19' },
  ]);
  const names = new Map([
    ['87001', 'Alpha'],
    ['87002', 'Bêta, "B"'],
    ['87003', 'Gamma'],
  ]);
  const report = buildReport({
    area: { code: '87', name: 'Test' },
    units,
    communeNames: names,
    sites,
    model: new CrowFlyModel({ detourFactor: 1.3, speedKmh: 60, accessTimeS: 0 }),
    thresholdsMin: [20, 30],
    sources: [{ name: 'src', date: '2024-01-01', url: 'https://example.org/x.csv' }],
  });

  it('worst communes first: lowest share within the first threshold, then longest mean time', () => {
    const worst = worstCommunes(report.coverage.communes);
    expect(worst[0].code).toBe('87002'); // ~50 km from both sites
    expect(worst.map((c) => c.code)).toEqual(['87002', '87003', '87001']);
  });

  it('communes.csv: header, one row per commune, quoted names', () => {
    const lines = communesCsv(report).trimEnd().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0].startsWith('code,name,departement,units,households,')).toBe(true);
    expect(lines[2].startsWith('87002,"Bêta, ""B""",87,1,50,')).toBe(true);
  });

  it('summary, gaps, households.csv and report.md are consistent', () => {
    const s = JSON.parse(summaryJson(report));
    expect(s.totals.read.households).toBe(180);
    expect(s.sites.considered).toBe(2);
    expect(s.sites.inArea).toBe(1);
    expect(s.uncoveredCommunes[0].count).toBe(1);
    const gaps = JSON.parse(gapsGeoJson(report).join(''));
    expect(gaps.features.map((f: { properties: { code: string; threshold_min: number } }) => [f.properties.threshold_min, f.properties.code])).toEqual(
      s.uncoveredCommunes.flatMap((u: { thresholdMinutes: number; longest: { code: string }[] }) => u.longest.map((c) => [u.thresholdMinutes, c.code])),
    );
    const csv = householdsCsv(report).join('').trimEnd().split('\n');
    expect(csv).toHaveLength(4);
    expect(csv[0]).toBe('id,commune,lon,lat,households,inhabitants,poor_households,time_min,site_id,status,category_20min,category_30min');
    const md = reportMarkdown(report);
    expect(md.endsWith('\n')).toBe(true);
    expect(md).toContain('# Accès aux espaces France services — Test (87)');
    expect(md).toContain('`src`, 2024-01-01');
  });
});
