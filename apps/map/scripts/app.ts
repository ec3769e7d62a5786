/**
 * Building and serving the map app through Vite's JavaScript API (used by the main job in
 * scripts/main.ts and by the browser tests). Lives in the app so that `vite` resolves from
 * the app's own dependencies.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview, type PreviewServer } from 'vite';

export const APP_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CONFIG = path.join(APP_DIR, 'vite.config.ts');

/** `vite build`; `publicDir` (default apps/map/public) holds data/. */
export async function buildApp(outDir = path.join(APP_DIR, 'dist'), publicDir?: string): Promise<void> {
  await build({ root: APP_DIR, configFile: CONFIG, logLevel: 'error', ...(publicDir ? { publicDir } : {}), build: { outDir, emptyOutDir: true } });
}

/** `vite preview` of a built folder on 127.0.0.1 (same headers as the dev server: CSP…). */
export async function previewApp(outDir: string, port: number, strictPort = true): Promise<{ url: string; server: PreviewServer }> {
  const server = await preview({ root: APP_DIR, configFile: CONFIG, logLevel: 'error', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort, open: false } });
  const url = server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`;
  return { url, server };
}
