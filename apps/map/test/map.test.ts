/**
 * The map in a real browser (Debian Chromium, SwiftShader WebGL, driven by playwright-core),
 * on the real data prepared by prepare-data (which runs `fs-access report`):
 * - no console error, CSP header and meta, a screenshot with the households' colours;
 * - the panel's figures are the CLI summary's (and the exported summary.json is its bytes);
 * - 20 clicks: each candidate's newly covered households equal the library's
 *   (computeCoverage with and without the point), latency measured and printed;
 * - "Recommander 3 sites" = the library's greedy (crow-fly reach + maximalCovering);
 * - a closure's loss = siting's closureImpact; the panel follows;
 * - a site named `<img src=x onerror=alert(1)>` shows as text and runs nothing;
 * - the URL keeps the view: reloading it restores the candidates.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { COVERED, categoryOf, computeCoverage, round } from '@fs-access/access';
import { CoverSetsBuilder, closureImpact, maximalCovering } from '@fs-access/siting';
import { dataPath } from '@fs-access/data';
import { prepareData } from '../scripts/prepare-data.ts';
import { REPO, SHOTS, buildApp, distinctColours, launchChromium, median, openApp, readPrepared, serve, watch, withPoints, type BuildInfo, type Prepared } from './harness.ts';

const HOSTILE = '<img src=x onerror=alert(1)>';
const T20 = 1200;

let tmp: string;
let info: BuildInfo;
let main: { url: string; server: PreviewServer };
let hostile: { url: string; server: PreviewServer };
let browser: { context: BrowserContext; close: () => Promise<void> };
let p87: Prepared;
let p40: Prepared;
const measured: Record<string, unknown> = {};
/** First-map times (ms) of the later, warm loads of Haute-Vienne. */
const warm87: number[] = [];

/** openApp, recording the first-map time of Haute-Vienne loads. */
async function open87(page: Page, url = main.url): Promise<void> {
  const t = await openApp(page, url);
  warm87.push(t.firstMapMs);
}

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-map-test-'));
  fs.mkdirSync(SHOTS, { recursive: true });
  const publicDir = path.join(tmp, 'public');
  const hostileDir = path.join(tmp, 'hostile-public');

  // A copy of the national sites list where the first Haute-Vienne site has a hostile name.
  const csv = fs.readFileSync(dataPath('france-services/liste-fs-20240801.csv'), 'utf8');
  const lines = csv.split('\n');
  const at = lines.findIndex((l) => /^"\d+","87","[^"]*"/.test(l));
  lines[at] = lines[at].replace(/^("\d+","87",)"[^"]*"/, `$1"${HOSTILE}"`);
  const hostileCsv = path.join(tmp, 'liste-fs-hostile.csv');
  fs.writeFileSync(hostileCsv, lines.join('\n'));

  await Promise.all([
    prepareData({ outDir: path.join(publicDir, 'data') }),
    prepareData({ outDir: path.join(hostileDir, 'data'), departements: ['87'], sitesFile: hostileCsv }),
  ]);
  info = await buildApp(publicDir, path.join(tmp, 'dist'));
  // The same build over the hostile data.
  const hostileDist = path.join(tmp, 'dist-hostile');
  fs.cpSync(info.outDir, hostileDist, { recursive: true, filter: (src) => !src.startsWith(path.join(info.outDir, 'data')) });
  fs.cpSync(path.join(hostileDir, 'data'), path.join(hostileDist, 'data'), { recursive: true });

  main = await serve(info.outDir);
  hostile = await serve(hostileDist);
  browser = await launchChromium();
  p87 = readPrepared(path.join(publicDir, 'data'), '87');
  p40 = readPrepared(path.join(publicDir, 'data'), '40');
});

afterAll(async () => {
  await browser?.close();
  await main?.server.close();
  await hostile?.server.close();
  const assets = info?.files.filter((f) => /\.(js|css)$/.test(f.name)) ?? [];
  measured.firstMapMs87WarmMedian = median(warm87);
  measured.firstMapMs87Warm = warm87;
  process.stdout.write(
    `\nmap measurements: ${JSON.stringify(measured)}\n` +
      `production bundle (vite build, data excluded): JS ${(info?.jsBytes / 1024).toFixed(0)} KiB (gzip ${(info?.jsGzip / 1024).toFixed(0)} KiB), CSS ${(info?.cssBytes / 1024).toFixed(0)} KiB; ` +
      assets.map((f) => `${f.name} ${(f.bytes / 1024).toFixed(1)} KiB`).join(', ') +
      `\nscreenshots in ${SHOTS}\n`,
  );
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function newPage(): Promise<{ page: Page; errors: string[]; dialogs: string[] }> {
  const page = await browser.context.newPage();
  return { page, ...watch(page) };
}

/** data-value of the coverage table cell for a threshold (minutes) and field. */
async function cell(page: Page, minutes: number, field: string): Promise<{ value: string; text: string }> {
  const td = page.locator(`#coverage tr[data-threshold="${minutes}"] td[data-field="${field}"]`);
  return { value: (await td.getAttribute('data-value')) ?? '', text: (await td.textContent()) ?? '' };
}

const frInt = (x: number) => new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 0 }).format(Math.round(x));
const frPct = (x: number) => new Intl.NumberFormat('fr-FR', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(x);

interface SummaryThreshold {
  thresholdMinutes: number;
  covered: { households: number; poorHouseholds: number | null };
  shareCovered: number;
  sharePoorCovered: number | null;
}

/** The panel shows the summary's figures, as numbers (data-value) and as fr-FR text. */
async function expectPanelEqualsSummary(page: Page, summaryText: string): Promise<void> {
  const summary = JSON.parse(summaryText) as { totals: { read: { households: number } }; coverage: SummaryThreshold[]; gaps?: { count: number; households: number }[]; uncoveredCommunes?: { count: number; households: number }[] };
  expect(Number(await page.getAttribute('#total-households', 'data-value'))).toBe(summary.totals.read.households);
  for (const t of summary.coverage) {
    const households = await cell(page, t.thresholdMinutes, 'households');
    expect(Number(households.value)).toBe(t.covered.households);
    expect(households.text).toBe(frInt(t.covered.households));
    const share = await cell(page, t.thresholdMinutes, 'share');
    expect(Number(share.value)).toBe(t.shareCovered);
    expect(share.text).toBe(frPct(t.shareCovered));
    const poor = await cell(page, t.thresholdMinutes, 'poor');
    const sharePoor = await cell(page, t.thresholdMinutes, 'sharePoor');
    if (t.covered.poorHouseholds === null) {
      expect(poor.value).toBe('');
      expect(sharePoor.value).toBe('');
    } else {
      expect(Number(poor.value)).toBe(t.covered.poorHouseholds);
      expect(poor.text).toBe(frInt(t.covered.poorHouseholds));
      expect(Number(sharePoor.value)).toBe(t.sharePoorCovered);
    }
  }
  const gaps = (summary.gaps ?? summary.uncoveredCommunes)![0];
  expect(Number(await page.getAttribute('#gaps-count', 'data-value'))).toBe(gaps.count);
  expect(Number(await page.getAttribute('#gaps-households', 'data-value'))).toBe(gaps.households);
}

/** Codes of report.md's worst-communes table, in order. */
function worstFromReport(dir: string): string[] {
  const md = fs.readFileSync(path.join(dir, 'report.md'), 'utf8');
  const section = md.split('## Les 10 communes les moins bien desservies')[1].split('\n## ')[0];
  return section
    .split('\n')
    .filter((l) => /^\| [^|]+ \| \d[\dAB]\d{3} \|/.test(l))
    .map((l) => l.split('|')[2].trim());
}

describe('the map in Chromium', () => {
  it('opens on Haute-Vienne with no console error, a strict CSP, the households drawn and every control reachable', async () => {
    const { page, errors, dialogs } = await newPage();
    const response = await page.goto(main.url);
    const csp = response!.headers()['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain('worker-src');
    expect(csp.split(';').find((d) => d.trim().startsWith('script-src'))).not.toContain('unsafe');
    const meta = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
    expect(meta).toContain("script-src 'self'");
    expect(meta).not.toContain('unsafe-inline');
    await page.waitForSelector('body[data-ready-ms][data-first-map-ms]', { timeout: 60_000 });
    measured.firstMapMs87Cold = Number(await page.getAttribute('body', 'data-first-map-ms'));
    measured.readyMs87 = Number(await page.getAttribute('body', 'data-ready-ms'));
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.locator('#dep-select option').allTextContents()).toEqual(['87 — Haute-Vienne', '40 — Landes']);

    const shot = await page.locator('#map').screenshot();
    fs.writeFileSync(path.join(SHOTS, 'map-87.png'), shot);
    await page.screenshot({ path: path.join(SHOTS, 'page-87.png') });
    const { colours, counts, pixels } = distinctColours(shot);
    // Background, outlines and several time classes at least.
    expect(colours.length).toBeGreaterThanOrEqual(6);
    // Blue households (within 20 minutes) cover a real part of the map: (r, g, b) with b ≫ r.
    let blue = 0;
    for (const [k, n] of counts) {
      const [r, , b] = k.split(',').map(Number);
      if (b - r >= 8) blue += n;
    }
    expect(blue / pixels).toBeGreaterThan(0.03);
    expect(errors).toEqual([]);
    expect(dialogs).toEqual([]);

    // Every button, input and select can take the focus and has a name.
    const unnamed = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select')]
        .filter((el) => {
          const e = el as HTMLElement;
          const labelled = e.getAttribute('aria-label') || e.textContent?.trim() || (e.id && document.querySelector(`label[for="${e.id}"]`)) || e.closest('label');
          return e.tabIndex < 0 || !labelled;
        })
        .map((el) => el.outerHTML.slice(0, 80)),
    );
    expect(unnamed).toEqual([]);
    // The policy holds: an injected inline script does not run (CSP reports it as a console error).
    const ran = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'document.body.dataset.inline = "ran"';
      document.body.appendChild(s);
      return document.body.dataset.inline === 'ran';
    });
    expect(ran).toBe(false);
    await page.close();
  });

  it("shows the CLI summary's figures for Haute-Vienne (grid) and its exported summary.json is the CLI's", async () => {
    const { page, errors } = await newPage();
    await open87(page);
    await expectPanelEqualsSummary(page, p87.summaryText);
    const worst = await page.locator('#worst tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.code));
    expect(worst).toEqual(worstFromReport(p87.dir));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button[data-export="summary"]')]);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text).toBe(p87.summaryText);
    // The other exports: GeoJSON FeatureCollections and CSV with a WKT geometry column (what QGIS reads as is).
    const save = async (kind: string) => {
      const [d] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-export="${kind}"]`)]);
      return { name: d.suggestedFilename(), text: fs.readFileSync((await d.path())!, 'utf8') };
    };
    const hh = await save('households-geojson');
    expect(hh.name).toBe('fs-access-87-menages.geojson');
    const fc = JSON.parse(hh.text) as { type: string; features: { geometry: { type: string }; properties: Record<string, unknown> }[] };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features).toHaveLength(p87.units.count);
    expect(fc.features[0].geometry.type).toBe('Point');
    const csv = (await save('households-csv')).text.trimEnd().split('\n');
    expect(csv[0].startsWith('WKT,id,commune,lon,lat,households')).toBe(true);
    expect(csv).toHaveLength(p87.units.count + 1);
    expect(csv[1]).toMatch(/^"POINT \(-?\d+(\.\d+)? -?\d+(\.\d+)?\)",CRS3035RES200m/);
    const communes = (await save('communes-csv')).text.split('\n');
    expect(communes[0].startsWith('code,name,departement')).toBe(true);
    expect(communes.length - 2).toBe(fs.readFileSync(path.join(p87.dir, 'communes.csv'), 'utf8').split('\n').length - 2);
    // The threshold switch shows the 30-minute ranking and gaps.
    await page.check('input[name="threshold"][value="1"]');
    await expect.poll(() => page.textContent('#worst-share-head')).toBe('Part à 30 min');
    expect(new URL(page.url()).searchParams.get('seuil')).toBe('30');
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows the CLI summary's figures for Landes (communes) and colours its communes", async () => {
    const { page, errors } = await newPage();
    const t = await openApp(page, `${main.url}?dep=40`);
    measured.firstMapMs40 = t.firstMapMs;
    await expectPanelEqualsSummary(page, p40.summaryText);
    const shot = await page.locator('#map').screenshot();
    fs.writeFileSync(path.join(SHOTS, 'map-40.png'), shot);
    expect(distinctColours(shot).colours.length).toBeGreaterThanOrEqual(6);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("20 clicks: each candidate's newly covered households equal the library's, and the URL keeps them", async () => {
    const { page, errors } = await newPage();
    await open87(page);
    const box = (await page.locator('#map canvas').boundingBox())!;
    const clicks: { lon: number; lat: number; households: number; units: number; latency: number; compute: number; engine: number; wall: number }[] = [];
    for (let gy = 0; gy < 6 && clicks.length < 20; gy++) {
      for (let gx = 0; gx < 5 && clicks.length < 20; gx++) {
        const x = box.x + box.width * (0.2 + 0.15 * gx);
        const y = box.y + box.height * (0.15 + 0.14 * gy);
        // A planner clicks once the map shows the previous answer: wait until the map has
        // drawn and the panel's refresh is done, then time the click alone.
        await page.waitForFunction(() => document.body.dataset.mapIdle === '1' && document.body.dataset.busy === '0', null, { timeout: 30_000 });
        await page.waitForTimeout(250);
        const before = await page.locator('#candidate-list li').count();
        const t0 = performance.now();
        await page.mouse.click(x, y);
        const outcome = await page.waitForFunction(
          (n) =>
            document.querySelectorAll('#candidate-list li').length > n && (document.getElementById('candidate-result') as HTMLElement).dataset.latencyMs !== undefined
              ? 'candidate'
              : document.querySelector('.maplibregl-popup')
                ? 'popup'
                : false,
          before,
          { timeout: 10_000, polling: 'raf' },
        );
        const wall = performance.now() - t0;
        if ((await outcome.jsonValue()) === 'popup') {
          // A site marker was under the pointer: close its popup and go on.
          await page.click('.maplibregl-popup-close-button');
          continue;
        }
        const d = await page.locator('#candidate-result').evaluate((el) => ({ ...(el as HTMLElement).dataset }));
        clicks.push({ lon: Number(d.lon), lat: Number(d.lat), households: Number(d.households), units: Number(d.units), latency: Number(d.latencyMs), compute: Number(d.computeMs), engine: Number(d.workerMs), wall });
      }
    }
    expect(clicks.length).toBe(20);
    measured.clickLatencyMedianMs = median(clicks.map((c) => c.latency));
    measured.clickWallMedianMs = Math.round(median(clicks.map((c) => c.wall)));
    measured.clickComputeMedianMs = median(clicks.map((c) => c.compute));
    measured.clickEngineMedianMs = median(clicks.map((c) => c.engine));
    measured.clickLatenciesMs = clicks.map((c) => Math.round(c.latency));

    // Library oracle: coverage at 20 min with the sites and the candidates so far, with and without each one.
    const { units, sites, times } = p87;
    let before = computeCoverage(units, times.nearest(sites), { thresholdsS: [T20] }).byThreshold[0].covered;
    const placed: { lon: number; lat: number }[] = [];
    let nonZero = 0;
    for (const c of clicks) {
      placed.push(c);
      const after = computeCoverage(units, times.nearest(withPoints(sites, placed)), { thresholdsS: [T20] }).byThreshold[0].covered;
      expect(c.units).toBe(after.units - before.units);
      expect(Math.abs(c.households - (after.households - before.households))).toBeLessThan(0.01);
      if (c.units > 0) nonZero++;
      before = after;
    }
    expect(nonZero).toBeGreaterThan(3);
    await page.screenshot({ path: path.join(SHOTS, 'page-87-candidates.png') });

    // The URL holds the candidates: reopening it restores them and their figures.
    const url = page.url();
    expect(new URL(url).searchParams.get('candidats')!.split(';')).toHaveLength(20);
    await expect.poll(() => page.getAttribute('#coverage tr[data-threshold="20"] td[data-field="households"]', 'data-value'), { timeout: 20_000 }).toBe(String(round(before.households)));
    const again = await newPage();
    await openApp(again.page, url);
    const restored = await again.page.locator('#candidate-list li').evaluateAll((li) => li.map((l) => Number((l as HTMLElement).dataset.households)));
    expect(restored).toEqual(clicks.map((c) => c.households));
    expect(Number(await again.page.getAttribute('#coverage tr[data-threshold="20"] td[data-field="households"]', 'data-value'))).toBe(round(before.households));
    expect(again.errors).toEqual([]);
    await again.page.close();
    expect(errors).toEqual([]);
    await page.close();
  });

  it("'Recommander 3 sites' shows the library's greedy picks", async () => {
    const { page, errors } = await newPage();
    await open87(page);
    await page.click('#reco-run');
    await page.waitForSelector('#reco-list li', { timeout: 60_000 });
    const picks = await page.locator('#reco-list li').evaluateAll((li) => li.map((l) => (l as HTMLElement).dataset.candidateId));

    // The CLI's answer on the same inputs.
    const cli = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO, 'packages/cli/src/bin.ts'), 'sites', '--departement', '87', '--households', 'grid', '--k', '3', '--threshold', '20', '--json', '--no-exact'], {
      cwd: REPO,
      encoding: 'utf8',
    });
    expect(cli.status, cli.stderr).toBe(0);
    const cliPicks = (JSON.parse(cli.stdout) as { greedy: { picks: { id: string; gain: { households: number } }[] } }).greedy.picks;
    expect(cliPicks).toHaveLength(3);
    expect(picks).toEqual(cliPicks.map((p) => p.id));

    // And the siting library directly: crow-fly reach of every candidate kept by the CLI's rule, CELF greedy.
    const { units, sites, times } = p87;
    const candidates = JSON.parse(fs.readFileSync(path.join(p87.dir, 'candidates.json'), 'utf8')) as { id: string[]; lon: number[]; lat: number[] };
    const nearest = times.nearest(sites);
    const alreadyCovered = Uint8Array.from({ length: units.count }, (_, i) => (categoryOf(nearest, i, T20) === COVERED ? 1 : 0));
    const b = new CoverSetsBuilder(units.count);
    for (let c = 0; c < candidates.id.length; c++) b.add(c, times.reach(candidates.lon[c], candidates.lat[c], T20).unit);
    const greedy = maximalCovering({ cover: b.finish(candidates.id.length), weight: units.households, alreadyCovered, k: 3 });
    expect(picks).toEqual(greedy.picks.map((p) => candidates.id[p.candidate]));
    const gains = await page.locator('#reco-list li').evaluateAll((li) => li.map((l) => Number((l as HTMLElement).dataset.gain)));
    gains.forEach((g, i) => expect(Math.abs(g - greedy.picks[i].gain)).toBeLessThan(0.01));
    await page.screenshot({ path: path.join(SHOTS, 'page-87-recommend.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("closing a site shows siting's closureImpact loss and the panel follows", async () => {
    const { page, errors } = await newPage();
    await open87(page);
    const { units, sites, times } = p87;
    // The département's site serving the most households.
    const nearest = times.nearest(sites);
    const served = new Map<number, number>();
    for (let i = 0; i < units.count; i++) if (nearest.site[i] >= 0) served.set(nearest.site[i], (served.get(nearest.site[i]) ?? 0) + units.households[i]);
    const s = [...served.entries()].filter(([k]) => sites.departement[k] === '87').sort((a, b) => b[1] - a[1])[0][0];
    const id = sites.id[s];
    await page.selectOption('#site-select', id);
    await page.click('#site-close');
    await page.waitForSelector('#closure-result strong[data-value]');
    const shown = Number(await page.getAttribute('#closure-result strong', 'data-value'));

    const inf = (n: typeof nearest) => Float64Array.from(n.time, (t, i) => (n.status[i] === 0 ? t : Infinity));
    const without = times.nearest(withPoints(sites, [], id));
    const impact = closureImpact({ site: s, nearest: nearest.site, time: inf(nearest), timeWithout: inf(without), threshold: T20, weight: units.households });
    expect(impact.lostWeight).toBeGreaterThan(0);
    expect(Math.abs(shown - impact.lostWeight)).toBeLessThan(0.01);
    const expected = computeCoverage(units, without, { thresholdsS: [T20] }).byThreshold[0].covered.households;
    await expect.poll(() => page.getAttribute('#coverage tr[data-threshold="20"] td[data-field="households"]', 'data-value'), { timeout: 20_000 }).toBe(String(round(expected)));
    expect(new URL(page.url()).searchParams.get('fermes')).toBe(id);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a site named <img src=x onerror=alert(1)> as text and runs nothing', async () => {
    const { page, errors, dialogs } = await newPage();
    await openApp(page, hostile.url);
    const option = page.locator('#site-select option', { hasText: HOSTILE });
    expect(await option.count()).toBe(1);
    const id = (await option.getAttribute('value'))!;
    await page.selectOption('#site-select', id);
    await page.click('#site-show');
    const title = page.locator('.maplibregl-popup h3');
    await title.waitFor();
    expect(await title.textContent()).toBe(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, 'page-87-hostile.png') });
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

});
