/**
 * Reading a generic cost matrix (Node only): long-format costs `demand id, facility id,
 * cost` — an OSRM table, a spreadsheet, spopt's files — plus a demand file with ids and
 * optional weights. Node modules are imported lazily so the package stays browser-safe.
 */
import { CoverSets, CoverSetsBuilder } from './cover-sets.ts';
import { CostFileError, SitingInputError } from './errors.ts';

export interface CostMatrixOptions {
  /** Long-format cost CSV: one row per (demand, facility) pair. */
  costsFile: string;
  /** Column of the demand id in the cost file. */
  fromCol: string;
  /** Column of the facility id in the cost file. */
  toCol: string;
  /** Column of the cost (any unit; the radius is in the same unit). */
  costCol: string;
  /** Demand CSV: one row per demand unit. */
  demandFile: string;
  /** Column of the demand id in the demand file. */
  idCol: string;
  /** Column of the weight (households, people…); without it each unit weighs 1. */
  weightCol?: string;
  /** A facility covers a demand unit when their cost ≤ radius. */
  radius: number;
  /**
   * A cost row whose demand id is not in the demand file: 'error' (default,
   * CostFileError naming file and line) or 'ignore' (counted in ignoredRows).
   */
  unknownDemand?: 'error' | 'ignore';
}

export interface CostMatrix {
  /** Demand ids, in demand-file order (unit i = demandIds[i]); strings, leading zeros kept. */
  demandIds: string[];
  /** Facility ids, in order of first appearance in the cost file (candidate j = facilityIds[j]). */
  facilityIds: string[];
  /** Per unit weight (1 each without weightCol). */
  weight: Float64Array;
  /** Per facility, the units within the radius. */
  cover: CoverSets;
  /** Units whose id never appears in the cost file ("never coverable"). */
  absent: Uint32Array;
  /** Units no facility covers within the radius (absent ones included). */
  uncoverable: Uint32Array;
  /** Cost rows read, and rows skipped for an unknown demand id (unknownDemand 'ignore'). */
  costRows: number;
  ignoredRows: number;
  /** Rows with an empty cost cell: no route for that pair. */
  emptyCosts: number;
}

/** The separator among , ; tab | that occurs most often outside quotes ('' if none). */
function sniffDelimiter(line: string): string {
  const counts: Record<string, number> = { ',': 0, ';': 0, '\t': 0, '|': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch in counts) counts[ch]++;
  }
  let best = '';
  let max = 0;
  for (const [d, c] of Object.entries(counts)) {
    if (c > max) {
      max = c;
      best = d;
    }
  }
  return best;
}

/**
 * The Node modules the reader needs, imported once on first use (lazily, so the package
 * stays browser-safe) — a dynamic import per file costs a module-loader round trip each time.
 */
let deps: Promise<{ fs: typeof import('node:fs'); parse: typeof import('csv-parse').parse; Transform: typeof import('node:stream').Transform; isUtf8: typeof import('node:buffer').isUtf8 }> | undefined;
function nodeDeps() {
  deps ??= Promise.all([import('node:fs'), import('csv-parse'), import('node:stream'), import('node:buffer')]).then(([fs, csv, stream, buffer]) => ({
    fs: (fs as { default?: typeof import('node:fs') }).default ?? fs,
    parse: csv.parse,
    Transform: stream.Transform,
    isUtf8: buffer.isUtf8,
  }));
  return deps;
}

/** Offset of the first byte of `buf` that breaks UTF-8 (`buf.length` if none). */
function firstInvalidUtf8(buf: Uint8Array): number {
  let i = 0;
  while (i < buf.length) {
    const b = buf[i];
    let need: number;
    // Second-byte bounds exclude overlongs, UTF-16 surrogates and code points past U+10FFFF,
    // as isUtf8 does (so the two agree on where the text breaks).
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) need = 0;
    else if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0;
      else if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90;
      else if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = buf[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return buf.length;
}

/**
 * A pass-through stream that fails with CostFileError (file, line, byte) on bytes that are
 * not UTF-8. Without it a Latin-1 export is decoded with U+FFFD in place of every accented
 * letter: ids would be silently mangled (and two ids differing by one letter could merge).
 */
async function utf8Gate(file: string) {
  const { Transform, isUtf8 } = await nodeDeps();
  let carry: Buffer | null = null;
  let line = 1;
  const fail = (buf: Buffer) => {
    const at = Math.min(firstInvalidUtf8(buf), buf.length - 1);
    let l = line;
    for (let i = 0; i < at; i++) if (buf[i] === 10) l++;
    return new CostFileError(`${file}:${l}: not valid UTF-8 (byte 0x${buf[at].toString(16).padStart(2, '0')}): the file looks Latin-1/Windows-1252 encoded; re-save it as UTF-8`, file, l);
  };
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      try {
        pass(chunk, cb);
      } catch (err) {
        cb(err as Error); // a throw here would escape the stream as an uncaught exception
      }
    },
    flush(cb) {
      if (carry && !isUtf8(carry)) return cb(fail(carry));
      cb(null, carry ?? undefined);
    },
  });
  function pass(chunk: Buffer, cb: (err?: Error | null, data?: Buffer) => void): void {
    const buf: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    // Keep a character split across chunks for the next one (at most 3 bytes).
    let cut = buf.length;
    for (let back = 1; back <= Math.min(3, buf.length); back++) {
      const b = buf[buf.length - back];
      if ((b & 0xc0) === 0x80) continue;
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
      if (len > back) cut = buf.length - back;
      break;
    }
    const body = buf.subarray(0, cut);
    carry = cut < buf.length ? Buffer.from(buf.subarray(cut)) : null;
    if (!isUtf8(body)) return cb(fail(body));
    for (let i = body.indexOf(10); i !== -1; i = body.indexOf(10, i + 1)) line++;
    cb(null, body);
  }
}

/**
 * Streams the records of a CSV: `header(fields)` once, then `row(fields, line)` with the
 * 1-based line where the record ends (header = line 1). BOM and CRLF are handled; the
 * separator is sniffed from the first line.
 */
async function readCsv(file: string, header: (fields: string[]) => void, row: (fields: string[], line: number) => void): Promise<number> {
  const { fs, parse } = await nodeDeps();
  let first: string;
  let small = false;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(65536);
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      small = n < buf.length;
      first = buf.subarray(0, n).toString('utf8').replace(/^\uFEFF/, '');
    } finally {
      fs.closeSync(fd);
    }
  } catch (err) {
    throw new CostFileError(`${file}: cannot read (${(err as Error).message})`, file);
  }
  const nl = first.indexOf('\n');
  const firstLine = (nl < 0 ? first : first.slice(0, nl)).replace(/\r$/, '');
  if (firstLine.trim() === '') throw new CostFileError(`${file}: empty file (no header)`, file, 1);
  const delimiter = sniffDelimiter(firstLine) || ',';
  // 1 MiB reads for big files; a file that fitted in the first 64 KiB needs no 1 MiB buffer.
  const source = fs.createReadStream(file, { highWaterMark: small ? 65536 : 1 << 20 });
  const gate = await utf8Gate(file);
  const parser = source.pipe(gate).pipe(parse({ delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  source.on('error', (err) => parser.destroy(err));
  gate.on('error', (err) => parser.destroy(err));
  let records = 0;
  let sawHeader = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (!sawHeader) {
        sawHeader = true;
        header(record.map((f) => f.trim()));
      } else {
        records++;
        row(record, info.lines);
      }
    }
  } catch (err) {
    source.destroy();
    parser.destroy();
    if (err instanceof CostFileError) throw err;
    const e = err as Error & { lines?: number };
    throw new CostFileError(`${file}:${e.lines ?? 0}: ${e.message}`, file, e.lines ?? 0);
  }
  if (records === 0) throw new CostFileError(`${file}: header only, no record after line 1`, file, 1);
  return records;
}

/** Index of each wanted column: exact name first, else case-insensitive; CostFileError naming every missing one. */
function findColumns(file: string, header: string[], wanted: { role: string; name: string }[]): number[] {
  const missing: string[] = [];
  const idx = wanted.map(({ role, name }) => {
    let i = header.indexOf(name);
    if (i < 0) i = header.findIndex((h) => h.toLowerCase() === name.trim().toLowerCase());
    if (i < 0) missing.push(`"${name}" (${role})`);
    return i;
  });
  if (missing.length > 0) {
    throw new CostFileError(`${file}: missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}; the header has ${header.map((h) => `"${h}"`).join(', ')}`, file, 1);
  }
  return idx;
}

/** '12.5', '12,5' (decimal comma), ' 7 ' → number; '' → NaN marker handled by callers. */
function parseNumber(raw: string): number {
  const s = raw.trim();
  if (s === '') return NaN;
  return Number(/^[+-]?\d+,\d+$/.test(s) ? s.replace(',', '.') : s);
}

/**
 * Reads a demand file and a long-format cost file into cover sets at `radius`.
 *
 * Documented behaviour:
 * - ids are strings, trimmed of surrounding spaces, never parsed as numbers
 *   ("060816029.00" and "60816029" are different ids);
 * - a duplicate demand id, an empty id, an empty/non-numeric/negative weight → CostFileError (file:line);
 * - a cost that is non-numeric or negative → CostFileError (file:line); an empty cost cell
 *   means "no route" for that pair (counted in emptyCosts); "Infinity" likewise;
 * - a pair listed twice counts once if either of its costs is within the radius;
 * - a demand id of the cost file not in the demand file → CostFileError, or skipped with
 *   unknownDemand 'ignore';
 * - a demand id absent from the cost file is not an error: it is reported in `absent`
 *   (never coverable) and in `uncoverable`.
 */
export async function readCostMatrix(options: CostMatrixOptions): Promise<CostMatrix> {
  const { costsFile, demandFile, radius } = options;
  if (!(radius >= 0 && radius < Infinity)) throw new SitingInputError(`radius must be a finite number ≥ 0, got ${radius}`);

  // Demand file first: it fixes the unit numbering.
  const demandIds: string[] = [];
  const unitOf = new Map<string, number>();
  const lineOf: number[] = [];
  const weights: number[] = [];
  let idIdx = -1;
  let wIdx = -1;
  await readCsv(
    demandFile,
    (header) => {
      const wanted = [{ role: 'demand id', name: options.idCol }];
      if (options.weightCol !== undefined) wanted.push({ role: 'weight', name: options.weightCol });
      [idIdx, wIdx = -1] = findColumns(demandFile, header, wanted);
    },
    (fields, line) => {
      const id = (fields[idIdx] ?? '').trim();
      if (id === '') throw new CostFileError(`${demandFile}:${line}: empty demand id in column "${options.idCol}"`, demandFile, line);
      const prev = unitOf.get(id);
      if (prev !== undefined) throw new CostFileError(`${demandFile}:${line}: duplicate demand id "${id}" (first at line ${lineOf[prev]})`, demandFile, line);
      let w = 1;
      if (wIdx >= 0) {
        const raw = fields[wIdx] ?? '';
        w = parseNumber(raw);
        if (!(w >= 0 && w < Infinity)) {
          throw new CostFileError(`${demandFile}:${line}: weight "${raw}" in column "${options.weightCol}" is not a finite number ≥ 0`, demandFile, line);
        }
      }
      unitOf.set(id, demandIds.length);
      lineOf.push(line);
      demandIds.push(id);
      weights.push(w);
    },
  );

  const nUnits = demandIds.length;
  const seen = new Uint8Array(nUnits);
  const facilityIds: string[] = [];
  const facilityOf = new Map<string, number>();
  // Pairs within the radius, as growable typed arrays (a cost file can hold millions of rows).
  let pairUnit = new Uint32Array(1 << 16);
  let pairFac = new Uint32Array(1 << 16);
  let pairs = 0;
  let costRows = 0;
  let ignoredRows = 0;
  let emptyCosts = 0;
  let fromIdx = -1;
  let toIdx = -1;
  let costIdx = -1;
  await readCsv(
    costsFile,
    (header) => {
      [fromIdx, toIdx, costIdx] = findColumns(costsFile, header, [
        { role: 'demand id', name: options.fromCol },
        { role: 'facility id', name: options.toCol },
        { role: 'cost', name: options.costCol },
      ]);
    },
    (fields, line) => {
      costRows++;
      const from = (fields[fromIdx] ?? '').trim();
      const to = (fields[toIdx] ?? '').trim();
      const raw = fields[costIdx] ?? '';
      if (from === '') throw new CostFileError(`${costsFile}:${line}: empty demand id in column "${options.fromCol}"`, costsFile, line);
      if (to === '') throw new CostFileError(`${costsFile}:${line}: empty facility id in column "${options.toCol}"`, costsFile, line);
      const u = unitOf.get(from);
      if (u === undefined) {
        if (options.unknownDemand === 'ignore') {
          ignoredRows++;
          return;
        }
        throw new CostFileError(`${costsFile}:${line}: demand id "${from}" is not in the demand file ${demandFile}`, costsFile, line);
      }
      let f = facilityOf.get(to);
      if (f === undefined) {
        f = facilityIds.length;
        facilityOf.set(to, f);
        facilityIds.push(to);
      }
      seen[u] = 1;
      let cost: number;
      if (raw.trim() === '') {
        emptyCosts++;
        return;
      } else {
        cost = parseNumber(raw);
        if (Number.isNaN(cost)) throw new CostFileError(`${costsFile}:${line}: cost "${raw}" in column "${options.costCol}" is not a number`, costsFile, line);
        if (cost < 0) throw new CostFileError(`${costsFile}:${line}: negative cost ${raw.trim()} in column "${options.costCol}"`, costsFile, line);
      }
      if (cost > radius) return;
      if (pairs === pairUnit.length) {
        const a = new Uint32Array(pairs * 2);
        a.set(pairUnit);
        pairUnit = a;
        const b = new Uint32Array(pairs * 2);
        b.set(pairFac);
        pairFac = b;
      }
      pairUnit[pairs] = u;
      pairFac[pairs] = f;
      pairs++;
    },
  );

  // Group pairs by facility (counting sort), then let the builder sort and dedupe each set.
  const nFac = facilityIds.length;
  const start = new Uint32Array(nFac + 1);
  for (let i = 0; i < pairs; i++) start[pairFac[i] + 1]++;
  for (let f = 0; f < nFac; f++) start[f + 1] += start[f];
  const fill = start.slice(0, nFac);
  const grouped = new Uint32Array(pairs);
  for (let i = 0; i < pairs; i++) grouped[fill[pairFac[i]]++] = pairUnit[i];
  const builder = new CoverSetsBuilder(nUnits);
  for (let f = 0; f < nFac; f++) builder.add(f, grouped.subarray(start[f], start[f + 1]));
  const cover = builder.finish(nFac);

  const coverable = new Uint8Array(nUnits);
  for (let i = 0; i < cover.units.length; i++) coverable[cover.units[i]] = 1;
  const absent: number[] = [];
  const uncoverable: number[] = [];
  for (let u = 0; u < nUnits; u++) {
    if (!seen[u]) absent.push(u);
    if (!coverable[u]) uncoverable.push(u);
  }
  return {
    demandIds,
    facilityIds,
    weight: Float64Array.from(weights),
    cover,
    absent: Uint32Array.from(absent),
    uncoverable: Uint32Array.from(uncoverable),
    costRows,
    ignoredRows,
    emptyCosts,
  };
}
