#!/usr/bin/env node
/**
 * The `fs-access` command: dispatches to one module per command (loaded lazily so a
 * command pays only for what it uses). Exit codes: 0 done, 1 bad input data, 2 bad
 * command line.
 */
import { UsageError } from './cli-kit.ts';

type Command = { run(argv: string[]): Promise<void>; usage: string };

const commands: Record<string, () => Promise<Command>> = {
  nearest: () => import('./commands/nearest.ts'),
  route: () => import('./commands/route.ts'),
  data: () => import('./commands/data.ts'),
  report: () => import('./commands/report.ts'),
  sites: () => import('./commands/sites.ts'),
  closure: () => import('./commands/closure.ts'),
  cover: () => import('./commands/cover.ts'),
};

const HELP = `fs-access — time from every household to its nearest France services site

Usage: fs-access <command> [options]    (from the repo: pnpm fs-access <command> …)

Commands:
  nearest   nearest source for every node of a DIMACS graph
  route     car route between two points on an OpenStreetMap extract
  data      fetch the source data into data/cache (data fetch [NAME…])
  report    coverage report for a département
  sites     the best k new sites for a département
  closure   households losing coverage if a site closes
  cover     maximal covering / set cover on a cost matrix

Run fs-access <command> --help for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(HELP + '\n');
    return name ? 0 : 2;
  }
  const load = commands[name];
  if (!load) {
    process.stderr.write(`fs-access: unknown command "${name}"\n\n${HELP}\n`);
    return 2;
  }
  let command: Command;
  try {
    command = await load();
  } catch {
    process.stderr.write(`fs-access: command "${name}" is not available in this build\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(command.usage + '\n');
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (err) {
    const e = err as Error;
    if (e instanceof UsageError) {
      process.stderr.write(`fs-access ${name}: ${e.message}\n\n${command.usage}\n`);
      return 2;
    }
    // Typed input errors carry the file and line in their message; print it without a stack.
    if (e && e.name && e.name !== 'Error' && e.name !== 'TypeError' && e.name !== 'ReferenceError') {
      process.stderr.write(`fs-access ${name}: ${e.name}: ${e.message}\n`);
      return 1;
    }
    process.stderr.write(`fs-access ${name}: internal error: ${e?.stack ?? String(err)}\n`);
    return 70;
  }
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
