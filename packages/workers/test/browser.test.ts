/**
 * The pool in a real browser: Vite bundles test/browser/main.ts (which uses CoverPool's
 * module Web Worker), a local server on 127.0.0.1 serves it — once cross-origin isolated
 * (COOP/COEP: the graph travels as a SharedArrayBuffer) and once not (ArrayBuffer copied
 * per worker) — and Debian's Chromium runs it through playwright-core.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';

const CHROMIUM = '/usr/bin/chromium';
const fixture = path.join(__dirname, 'browser');
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-access-workers-browser-'));
const types: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

function serve(isolated: boolean): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = path.join(outDir, url.pathname === '/' ? 'index.html' : decodeURIComponent(url.pathname));
    if (!file.startsWith(outDir) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = { 'content-type': types[path.extname(file)] ?? 'application/octet-stream' };
    if (isolated) {
      headers['cross-origin-opener-policy'] = 'same-origin';
      headers['cross-origin-embedder-policy'] = 'require-corp';
    }
    res.writeHead(200, headers).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe.skipIf(!fs.existsSync(CHROMIUM))('CoverPool in Chromium (module Web Workers, Vite build)', () => {
  const servers: http.Server[] = [];
  let browser: import('playwright-core').Browser;

  beforeAll(async () => {
    const { build } = await import('vite');
    await build({ configFile: false, root: fixture, logLevel: 'error', build: { outDir, emptyOutDir: true }, worker: { format: 'es' } });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--headless', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    for (const s of servers) s.close();
    fs.rmSync(outDir, { recursive: true, force: true });
  });

  for (const isolated of [true, false]) {
    it(`same results as in the page for 1, 2 and 4 workers, and cancellation (${isolated ? 'SharedArrayBuffer' : 'ArrayBuffer copied'})`, async () => {
      const server = await serve(isolated);
      servers.push(server);
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
      await page.waitForFunction(() => (globalThis as { __result?: unknown }).__result !== undefined, undefined, { timeout: 60_000 });
      const result = (await page.evaluate(() => (globalThis as { __result?: unknown }).__result)) as {
        error?: string;
        shared: boolean;
        bufferKind: string;
        expected: string;
        results: Record<string, string>;
        cancelled: string;
        afterCancelOk: boolean;
        entries: number;
      };
      await page.close();
      expect(result.error).toBeUndefined();
      expect(errors).toEqual([]);
      expect(result.shared).toBe(isolated);
      expect(result.bufferKind).toBe(isolated ? 'SharedArrayBuffer' : 'ArrayBuffer');
      expect(result.entries).toBeGreaterThan(200);
      for (const size of ['1', '2', '4']) expect(result.results[size]).toBe(result.expected);
      expect(result.cancelled).toBe('CancelledError');
      expect(result.afterCancelOk).toBe(true);
    });
  }
});
