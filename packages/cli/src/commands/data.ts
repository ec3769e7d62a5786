/** `fs-access data`: fill data/cache from a mirror or the network, and list what is cached. */
import fs from 'node:fs';
import path from 'node:path';
import { cacheStatus, defaultCacheDir, expandNames, fetchSources, loadManifest, resolveMirror, type FetchResult } from '@fs-access/data';
import { Progress, UsageError, numberOption, parse } from '../cli-kit.ts';

export const usage = `Usage: fs-access data fetch [NAME…] [--mirror DIR | --no-mirror] [--cache DIR] [--force] [--retries N] [--base-url URL]
       fs-access data list [NAME…] [--cache DIR]

fetch   copies or downloads sources into the cache (default: data/cache in the repo),
        checking each file's sha256 against data/manifest.json. NAME is a source or a group
        (default: the "default" group; "all" for everything; see data list).
        Mirror: --mirror, else $FS_ACCESS_MIRROR, else ../shared/data beside the checkout,
        else the public url in the manifest (resumable, retried).
        Files already cached with the right checksum are skipped unless --force.
list    shows every source (or the NAMEs given) with its size and whether it is cached,
        then the groups.`;

function human(bytes: number): string {
  if (bytes >= 1 << 20) return `${(bytes / (1 << 20)).toFixed(1)} MiB`;
  if (bytes >= 1 << 10) return `${(bytes / (1 << 10)).toFixed(0)} KiB`;
  return `${bytes} B`;
}

async function fetchCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(
    argv,
    {
      mirror: { type: 'string' },
      cache: { type: 'string' },
      force: { type: 'boolean' },
      retries: { type: 'string' },
      'base-url': { type: 'string' },
      'no-mirror': { type: 'boolean' },
    },
    true,
  );
  const manifest = loadManifest();
  const entries = expandNames(manifest, positionals);
  const cacheDir = path.resolve(values.cache ?? defaultCacheDir);
  if (values.mirror !== undefined && !fs.existsSync(values.mirror)) throw new UsageError(`--mirror: no such directory: ${values.mirror}`);
  const mirror = values['no-mirror'] ? false : resolveMirror(values.mirror);
  const retries = numberOption('retries', values.retries, { min: 0, max: 20, integer: true, fallback: 4 });
  process.stderr.write(
    `data fetch: ${entries.length} source(s) into ${cacheDir} from ${mirror ? `mirror ${mirror}` : values['base-url'] ? values['base-url'] : 'the network'}\n`,
  );
  let bar: Progress | undefined;
  let barName = '';
  const results: FetchResult[] = await fetchSources(
    entries.map((e) => e.name),
    {
      manifest,
      cacheDir,
      mirror,
      force: values.force,
      retries,
      baseUrl: values['base-url'],
      onProgress(name, done, total) {
        if (name !== barName) {
          bar?.done();
          barName = name;
          bar = new Progress(name.padEnd(24), total);
        }
        bar!.update(done);
      },
      onNote(message) {
        process.stderr.write(`\n${message}\n`);
      },
    },
  );
  bar?.done();
  const counts = { cached: 0, copied: 0, downloaded: 0 };
  for (const r of results) {
    counts[r.status]++;
    process.stdout.write(`${r.status.padEnd(10)} ${r.name.padEnd(24)} ${human(r.bytes).padStart(9)}  ${r.status === 'downloaded' ? r.from : r.path}\n`);
  }
  process.stderr.write(`data fetch: ${counts.downloaded} downloaded, ${counts.copied} copied, ${counts.cached} already cached\n`);
}

async function listCommand(argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv, { cache: { type: 'string' } }, true);
  const manifest = loadManifest();
  const entries = positionals.length > 0 ? expandNames(manifest, positionals) : manifest.sources;
  const cacheDir = path.resolve(values.cache ?? defaultCacheDir);
  const status = await cacheStatus(entries, cacheDir);
  let total = 0;
  let cached = 0;
  for (const s of status) {
    total += s.entry.size;
    if (s.state === 'ok') cached += s.entry.size;
    process.stdout.write(`${s.entry.name.padEnd(24)} ${human(s.entry.size).padStart(9)}  ${s.state.padEnd(8)} ${s.entry.path}\n`);
  }
  process.stdout.write(`\n${status.filter((s) => s.state === 'ok').length}/${status.length} cached (${human(cached)} of ${human(total)}) in ${cacheDir}\n`);
  if (positionals.length === 0) {
    process.stdout.write('\nGroups:\n');
    for (const [g, members] of Object.entries(manifest.groups)) {
      const shown = members.length > 8 ? `${members.length} sources: ${members[0]} … ${members[members.length - 1]}` : members.join(' ');
      process.stdout.write(`  ${g.padEnd(14)} ${shown}\n`);
    }
    process.stdout.write(`  ${'all'.padEnd(14)} every source\n`);
  }
}

export async function run(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'fetch') return fetchCommand(rest);
  if (sub === 'list') return listCommand(rest);
  throw new UsageError(sub ? `unknown subcommand "${sub}" (expected fetch or list)` : 'give a subcommand: fetch or list');
}
