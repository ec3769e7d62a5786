/**
 * What the browser tests share: preparing the data and building the app once into a temp
 * folder, serving it with `vite preview` on 127.0.0.1, Debian's Chromium through
 * playwright-core, PNG decoding, and the library oracles computed in Node on the very
 * files the page loads.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { PreviewServer } from 'vite';
import { buildApp as viteBuild, previewApp } from '../scripts/app.ts';
import { CrowFlyModel, type UnitTimes } from '@fs-access/access';
import type { Households, Sites } from '@fs-access/data';
import { decodeUnits, sitesFromJson, type DepartementMeta, type SitesJson } from '../src/prepared.ts';

export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = path.resolve(APP_DIR, '..', '..');
/** Screenshots for a human to look at (out/ is git-ignored). */
export const SHOTS = path.join(REPO, 'out', 'map-tests');
export const CHROMIUM = process.env.FS_ACCESS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface BuildInfo {
  outDir: string;
  /** Bytes of every built file but the data, and gzip sizes of the JS and CSS. */
  files: { name: string; bytes: number; gzip: number }[];
  jsBytes: number;
  jsGzip: number;
  cssBytes: number;
  buildMs: number;
}

/** `vite build` of the app with `publicDir` (holding data/) into `outDir`. */
export async function buildApp(publicDir: string, outDir: string): Promise<BuildInfo> {
  const t0 = performance.now();
  await viteBuild(outDir, publicDir);
  const buildMs = performance.now() - t0;
  const files: BuildInfo['files'] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      const rel = path.relative(outDir, p);
      if (rel === 'data' || rel.startsWith('data' + path.sep)) continue;
      if (e.isDirectory()) walk(p);
      else {
        const bytes = fs.statSync(p).size;
        files.push({ name: rel, bytes, gzip: zlib.gzipSync(fs.readFileSync(p)).length });
      }
    }
  };
  walk(outDir);
  const js = files.filter((f) => f.name.endsWith('.js'));
  const css = files.filter((f) => f.name.endsWith('.css'));
  return {
    outDir,
    files,
    jsBytes: js.reduce((s, f) => s + f.bytes, 0),
    jsGzip: js.reduce((s, f) => s + f.gzip, 0),
    cssBytes: css.reduce((s, f) => s + f.bytes, 0),
    buildMs,
  };
}

/** `vite preview` of a built folder on 127.0.0.1 and a free port. */
export async function serve(outDir: string): Promise<{ url: string; server: PreviewServer }> {
  const { server } = await previewApp(outDir, await freePort());
  return { url: `http://127.0.0.1:${(server.httpServer.address() as net.AddressInfo).port}/`, server };
}

export async function launchChromium(): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    locale: 'fr-FR',
    acceptDownloads: true,
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Console errors, page errors, failed requests and dialogs of a page, collected from its creation. */
export function watch(page: Page): { errors: string[]; dialogs: string[] } {
  const errors: string[] = [];
  const dialogs: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    const why = r.failure()?.errorText ?? '';
    // maplibre aborts the tile requests it no longer needs when the view moves on: that is
    // a cancellation, not a failure (a missing tile would be a 404, which still counts).
    if (why === 'net::ERR_ABORTED' && /\/tiles\/\d+\/\d+\/\d+\.pbf$/.test(r.url())) return;
    errors.push(`requestfailed: ${r.url()} ${why}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`http ${r.status()}: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  return { errors, dialogs };
}

/** Opens the app and waits until the panel shows the engines' figures. */
export async function openApp(page: Page, url: string): Promise<{ firstMapMs: number; readyMs: number }> {
  await page.goto(url);
  await page.waitForSelector('body[data-ready-ms][data-first-map-ms]', { timeout: 60_000 });
  const firstMapMs = Number(await page.getAttribute('body', 'data-first-map-ms'));
  const readyMs = Number(await page.getAttribute('body', 'data-ready-ms'));
  return { firstMapMs, readyMs };
}

/**
 * Distinct colours in a PNG region, quantised to 5 bits per channel, with at least
 * `minShare` of the region's pixels each.
 */
export function distinctColours(png: Buffer, minShare = 0.002): { colours: string[]; counts: Map<string, number>; pixels: number } {
  const img = PNG.sync.read(png);
  const counts = new Map<string, number>();
  for (let i = 0; i < img.data.length; i += 4) {
    const key = [img.data[i] >> 3, img.data[i + 1] >> 3, img.data[i + 2] >> 3].join(',');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const pixels = img.width * img.height;
  const colours = [...counts.entries()].filter(([, n]) => n >= minShare * pixels).map(([k]) => k);
  return { colours, counts, pixels };
}

/** The prepared files of a département, decoded as the page decodes them, with the crow-fly model bound to the units. */
export interface Prepared {
  dir: string;
  meta: DepartementMeta;
  units: Households;
  sites: Sites;
  model: CrowFlyModel;
  times: UnitTimes;
  summaryText: string;
}

export function readPrepared(dataDir: string, dep: string): Prepared {
  const dir = path.join(dataDir, dep);
  const meta = JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8')) as DepartementMeta;
  const bin = fs.readFileSync(path.join(dir, 'units.bin'));
  const units = decodeUnits(meta, bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength) as ArrayBuffer);
  const sites = sitesFromJson(JSON.parse(fs.readFileSync(path.join(dir, 'sites.json'), 'utf8')) as SitesJson);
  const model = new CrowFlyModel({ detourFactor: Number(meta.model.detourFactor), speedKmh: Number(meta.model.speedKmh), accessTimeS: Number(meta.model.accessTimeS) });
  return { dir, meta, units, sites, model, times: model.forUnits(units), summaryText: fs.readFileSync(path.join(dir, 'summary.json'), 'utf8') };
}

/** Sites plus extra points (candidate sites) appended, or minus one site. */
export function withPoints(sites: Sites, points: { lon: number; lat: number }[], without?: string): Sites {
  const keep: number[] = [];
  for (let i = 0; i < sites.count; i++) if (sites.id[i] !== without) keep.push(i);
  const lon = [...keep.map((i) => sites.lon[i]), ...points.map((p) => p.lon)];
  const lat = [...keep.map((i) => sites.lat[i]), ...points.map((p) => p.lat)];
  const pick = <T>(a: T[], fill: T) => [...keep.map((i) => a[i]), ...points.map(() => fill)];
  return {
    count: lon.length,
    id: pick(sites.id, 'extra'),
    name: pick(sites.name, ''),
    commune: pick(sites.commune, ''),
    communeName: pick(sites.communeName, ''),
    departement: pick(sites.departement, ''),
    address: pick(sites.address, ''),
    type: pick(sites.type, ''),
    format: pick(sites.format, ''),
    hours: pick(sites.hours, [] as string[]),
    lon: Float64Array.from(lon),
    lat: Float64Array.from(lat),
    rejected: [],
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
