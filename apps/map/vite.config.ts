import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

/**
 * Content-Security-Policy of the app: no inline script, no eval; MapLibre's and our
 * workers are same-origin files (blob: stays allowed for workers, as MapLibre falls back
 * to it for cross-origin bundles). https: for images and fetches only serves the optional
 * user tile URL. The same policy is in index.html's <meta> (frame-ancestors works only as
 * a header).
 */
export const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "style-src 'self'",
  "img-src 'self' data: blob: https:",
  "connect-src 'self' https:",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const headers = {
  'Content-Security-Policy': `${CSP}; frame-ancestors 'none'`,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The dev server injects its client and CSS as inline <style> and talks over a websocket:
 * relax the policy for `vite` (dev) only; builds keep index.html's strict one.
 */
function devCsp(): Plugin {
  const dev = `${CSP.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'").replace("connect-src 'self' https:", "connect-src 'self' https: ws: wss:")}`;
  return {
    name: 'fs-access-dev-csp',
    apply: 'serve',
    transformIndexHtml: (html) => html.replace(/(http-equiv="Content-Security-Policy" content=")[^"]*"/, `$1${dev}"`),
    configureServer(server) {
      server.middlewares.use((_req, res, next) => {
        res.setHeader('Content-Security-Policy', `${dev}; frame-ancestors 'none'`);
        next();
      });
    },
  };
}

/**
 * Our packages spawn their own workers for Node (worker_threads) through
 * `new URL('./x.ts' | './x.mjs', import.meta.url)`; Vite would emit those files as assets
 * although the app always passes its own worker factories. Blank those references in the
 * browser build (the branches are unused there).
 */
function dropNodeOnlyWorkerAssets(): Plugin {
  const pattern = /new URL\('\.\/[\w.-]+\.(?:ts|mjs)', import\.meta\.url\)/g;
  return {
    name: 'fs-access-drop-node-only-worker-assets',
    enforce: 'pre',
    transform(code, id) {
      if (!/[\\/]packages[\\/][\w-]+[\\/]src[\\/][\w-]+\.ts$/.test(id) || !pattern.test(code)) return null;
      pattern.lastIndex = 0;
      return { code: code.replace(pattern, "(() => { throw new Error('Node-only worker: pass a workerFactory in the browser'); })()"), map: null };
    },
  };
}

const nodeOnly = fileURLToPath(new URL('./src/stubs/node-only.ts', import.meta.url));

export default defineConfig({
  plugins: [devCsp(), dropNodeOnlyWorkerAssets()],
  resolve: {
    alias: [
      { find: /^highs$/, replacement: nodeOnly },
      { find: /^csv-parse$/, replacement: nodeOnly },
      // Node built-ins behind `isNode` branches of our packages (worker_threads, os, fs…).
      { find: /^node:[\w/]+$/, replacement: nodeOnly },
    ],
  },
  // Relative asset URLs: the built app works from any folder it is served from.
  base: './',
  preview: { headers, host: '127.0.0.1' },
  server: { host: '127.0.0.1' },
  worker: { format: 'es', plugins: () => [dropNodeOnlyWorkerAssets()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 1500, reportCompressedSize: true },
});
