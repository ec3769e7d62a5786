/** Runs the real `fs-access` command in a child process (as a user would) and captures its output. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const repoRoot = path.resolve(__dirname, '../../..');
export const sharedData = path.resolve(repoRoot, '../shared/data');

export function runCli(args: string[], options: { env?: Record<string, string>; input?: string } = {}) {
  const tsx = path.join(repoRoot, 'node_modules/.bin/tsx');
  const r = spawnSync(tsx, [path.join(repoRoot, 'packages/cli/src/bin.ts'), ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ...options.env },
    input: options.input,
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
