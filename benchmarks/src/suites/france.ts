/**
 * france-projection: a synthetic graph the size of France's contracted car network, a
 * 2,845-site multi-source search and a 2.3-million-household coverage pass, in a child
 * process so that its peak memory is measured alone (see src/france-child.ts).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { BENCH_DIR, REPO_ROOT } from '../paths.ts';
import { skippedRow } from '../rows.ts';
import type { BenchRow, Suite, SuiteContext } from '../types.ts';

function runChild(ctx: SuiteContext): Promise<BenchRow[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', path.join(BENCH_DIR, 'src/france-child.ts'), String(ctx.runs)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      err += d;
      for (const line of d.split('\n')) if (line.startsWith('france-projection:')) ctx.log(line);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`france-projection child exited with ${code}: ${err.trim().split('\n').slice(-5).join(' | ')}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()!).rows);
      } catch (e) {
        reject(new Error(`france-projection child printed no result: ${(e as Error).message}`));
      }
    });
  });
}

export const france: Suite = {
  name: 'france-projection',
  description: 'a France-sized synthetic graph (10 M nodes): 2,845-site search, 2.3 M households snapped with kdbush, peak memory',
  run: async (ctx) => {
    try {
      return await runChild(ctx);
    } catch (e) {
      return [skippedRow({ suite: 'france-projection', input: 'national pass', size: '' }, (e as Error).message)];
    }
  },
};
