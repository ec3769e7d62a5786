/**
 * Streaming CSV reading shared by the loaders: papaparse (quotes, embedded separators and
 * newlines) fed by a byte stream that strips a UTF-8 BOM and checks the bytes are UTF-8,
 * so a Latin-1 export fails with a typed error naming the line instead of turning every
 * "é" into U+FFFD. Records are handed to a callback as they are parsed: nothing holds the
 * whole file as one string, and no object is built per record beyond the field array.
 */
import fs from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { Transform } from 'node:stream';
import Papa from 'papaparse';
import { CsvFormatError, EmptyInputError, EncodingError } from './errors.ts';

export type TextEncoding = 'utf-8' | 'latin1';

export interface CsvReadOptions {
  /**
   * 'utf-8' (default): invalid UTF-8 throws EncodingError. 'latin1': decode as
   * Windows-1252 (the superset of Latin-1 that French spreadsheet exports use).
   */
  encoding?: TextEncoding;
  /** Force the separator instead of sniffing it from the header line. */
  delimiter?: string;
}

export interface CsvHandler {
  /** Called once with the header fields (trimmed) and the separator found. May throw to stop. */
  header(columns: string[], delimiter: string): void;
  /** Called for each record; `line` is the 1-based line where the record ends (header = 1). May throw to stop. */
  row(fields: string[], line: number): void;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** Counts '\n' in buf[0..end). */
function countNewlines(buf: Buffer, end: number): number {
  let n = 0;
  let i = buf.indexOf(10);
  while (i !== -1 && i < end) {
    n++;
    i = buf.indexOf(10, i + 1);
  }
  return n;
}

/** Offset of the first byte that breaks UTF-8 in buf (only called once isUtf8 said no). */
function firstInvalidUtf8(buf: Buffer): number {
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

/** Length of the longest prefix of buf that does not end inside a UTF-8 sequence. */
function completePrefix(buf: Buffer): number {
  const n = buf.length;
  // A sequence is at most 4 bytes: look back at most 3 bytes for a lead byte.
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buf[n - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking
    const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return len > back ? n - back : n;
  }
  return n;
}

/** Strips a leading BOM and, for UTF-8, checks validity chunk by chunk (carrying split sequences). */
class Utf8Gate extends Transform {
  private carry: Buffer | null = null;
  private first = true;
  private linesBefore = 0;
  constructor(private readonly file: string) {
    super({ readableObjectMode: true });
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void): void {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    if (this.first) {
      if (buf.length < 3 && BOM.subarray(0, buf.length).equals(buf)) {
        this.carry = buf;
        return cb();
      }
      this.first = false;
      if (buf.subarray(0, 3).equals(BOM)) buf = buf.subarray(3);
    }
    const cut = completePrefix(buf);
    const body = buf.subarray(0, cut);
    if (cut < buf.length) this.carry = Buffer.from(buf.subarray(cut));
    if (!isUtf8(body)) return cb(this.error(body, firstInvalidUtf8(body)));
    this.linesBefore += countNewlines(body, body.length);
    // Chunks end on whole characters, so decoding each one alone is exact.
    cb(null, body.toString('utf8') as unknown as Buffer);
  }
  override _flush(cb: (err?: Error | null, data?: Buffer) => void): void {
    const rest = this.carry;
    this.carry = null;
    if (rest && rest.length > 0) {
      if (this.first && BOM.subarray(0, rest.length).equals(rest)) return cb();
      if (!isUtf8(rest)) return cb(this.error(rest, firstInvalidUtf8(rest)));
      return cb(null, rest.toString('utf8') as unknown as Buffer);
    }
    cb();
  }
  private error(buf: Buffer, at: number): EncodingError {
    const line = this.linesBefore + countNewlines(buf, at) + 1;
    const byte = buf[Math.min(at, buf.length - 1)]?.toString(16).padStart(2, '0');
    return new EncodingError(
      `${this.file}:${line}: not valid UTF-8 (byte 0x${byte}); the file looks Latin-1/Windows-1252 encoded: re-save it as UTF-8 or load it with encoding 'latin1'`,
      this.file,
      line,
    );
  }
}

/** Decodes Windows-1252 bytes to a string stream (Latin-1 mode). */
class Latin1Decoder extends Transform {
  constructor() {
    super({ readableObjectMode: true });
  }
  private readonly dec = new TextDecoder('windows-1252');
  private first = true;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null, data?: string) => void): void {
    let text = this.dec.decode(chunk, { stream: true });
    if (this.first) {
      this.first = false;
      // A UTF-8 BOM read as cp1252 is "ï»¿".
      if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
    }
    cb(null, text);
  }
}

/** Reads the first line of a file (at most 64 KiB) to sniff the separator. */
function readFirstLine(file: string): { text: string; bytes: number; newline: '\n' | '\r\n' | '\r' | undefined } {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(65536);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    let text = buf.subarray(0, n).toString('latin1');
    if (text.startsWith('\u00ef\u00bb\u00bf')) text = text.slice(3);
    const nl = text.indexOf('\n');
    return { text: (nl === -1 ? text : text.slice(0, nl)).replace(/\r$/, ''), bytes: n, newline: lineBreak(text) };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * The line break of a file from its first 64 KiB (quoted fields set aside): the first '\n'
 * decides between '\n' and '\r\n'; '\r' only for a file with no '\n' at all (classic Mac).
 * Why not papaparse's own guess: it counts '\r's, so a few stray ones (a damaged export)
 * make it split on '\r' and every line number after them comes out wrong.
 */
function lineBreak(sample: string): '\n' | '\r\n' | '\r' | undefined {
  const bare = sample.replace(/"[^"]*"/g, '');
  const nl = bare.indexOf('\n');
  if (nl !== -1) return nl > 0 && bare[nl - 1] === '\r' ? '\r\n' : '\n';
  return bare.includes('\r') ? '\r' : undefined;
}

/** The separator among , ; tab | that occurs most often outside quotes in a line ('' if none). */
export function sniffDelimiter(line: string): string {
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

/** Counts '\n' in a string. */
function newlinesIn(s: string): number {
  let n = 0;
  let i = s.indexOf('\n');
  while (i !== -1) {
    n++;
    i = s.indexOf('\n', i + 1);
  }
  return n;
}

/**
 * Streams `file` through papaparse (see the package README for why not csv-parse: 3–6×
 * slower measured on a 500,000-row INSEE-shaped file). Throws EmptyInputError for an empty
 * file or a header with no record, EncodingError for invalid UTF-8 (in 'utf-8' mode),
 * CsvFormatError for broken quoting, and whatever the handler throws. Empty lines are
 * skipped but counted, so line numbers stay those an editor shows.
 * @returns the number of records after the header.
 */
export async function readCsv(file: string, handler: CsvHandler, opts: CsvReadOptions = {}): Promise<{ records: number; delimiter: string }> {
  const first = readFirstLine(file);
  if (first.bytes === 0) throw new EmptyInputError(`${file}: empty file (no header, no record)`, file);
  const delimiter = opts.delimiter ?? (sniffDelimiter(first.text) || ',');
  // 1 MiB reads for big files; a small file (read whole by readFirstLine) needs no 1 MiB buffer.
  const source = fs.createReadStream(file, { highWaterMark: first.bytes < 65536 ? 65536 : 1 << 20 });
  const gate = opts.encoding === 'latin1' ? new Latin1Decoder() : new Utf8Gate(file);
  source.on('error', (err) => gate.destroy(err));
  source.pipe(gate);

  let records = 0;
  let sawHeader = false;
  let line = 0;
  let failure: unknown;
  await new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (err?: unknown) => {
      if (settled) return;
      settled = true;
      source.destroy();
      gate.destroy();
      if (err !== undefined) reject(err);
      else resolve();
    };
    gate.on('error', (err) => finish(err));
    Papa.parse<string[]>(gate as unknown as File, {
      delimiter,
      ...(first.newline ? { newline: first.newline } : {}),
      header: false,
      skipEmptyLines: false,
      dynamicTyping: false,
      step: (res, parser) => {
        if (failure !== undefined) return;
        const fields = res.data;
        // A record spanning lines (quoted newlines) ends further down.
        let extra = 0;
        for (let k = 0; k < fields.length; k++) if (fields[k].length > 0 && fields[k].indexOf('\n') !== -1) extra += newlinesIn(fields[k]);
        line += 1 + extra;
        const quoteError = res.errors.find((e) => e.type === 'Quotes');
        try {
          // An unterminated quote swallows the rest of the file: name the line it opened on.
          if (quoteError) throw new CsvFormatError(`${file}:${line - extra}: ${quoteError.message} (in the record starting on this line)`, file, line - extra);
          if (fields.length === 1 && fields[0].trim() === '') return; // empty line
          if (!sawHeader) {
            sawHeader = true;
            handler.header(
              fields.map((f) => f.trim()),
              delimiter,
            );
          } else {
            records++;
            handler.row(fields, line);
          }
        } catch (err) {
          failure = err;
          parser.abort();
          finish(err);
        }
      },
      complete: () => finish(),
      error: (err: Error) => finish(err),
    });
  });
  if (failure !== undefined) throw failure;
  if (!sawHeader) throw new EmptyInputError(`${file}: empty file (no header, no record)`, file);
  if (records === 0) throw new EmptyInputError(`${file}: header only, no record after line 1`, file);
  return { records, delimiter };
}

/** Lower-cased header name → column index (first occurrence wins). */
export function columnIndex(columns: string[]): Map<string, number> {
  const m = new Map<string, number>();
  columns.forEach((c, i) => {
    const k = c.trim().toLowerCase();
    if (!m.has(k)) m.set(k, i);
  });
  return m;
}

/**
 * Parses a number as written in French or English exports: '46.1', '46,1' (decimal
 * comma), surrounding spaces. NaN for '' or anything else.
 */
export function parseNumber(raw: string | undefined): number {
  if (raw === undefined) return NaN;
  const s = raw.trim();
  if (s === '') return NaN;
  const v = Number(/^[+-]?\d+,\d+$/.test(s) ? s.replace(',', '.') : s);
  return v;
}

/**
 * A growable Float64Array for loaders that do not know the record count up front. Stored
 * as blocks (doubling from 256 values up to 65,536, then fixed) rather than one array grown
 * by doubling: doubling peaks at three times the data (old array + new array + the final
 * trimmed copy), blocks at about one time plus a block — on INSEE's 2.3 M-cell national
 * grid, 7 columns, that is ~250 MB less at peak. Small files stay small.
 */
export class FloatColumn {
  private static readonly MAX_BLOCK = 1 << 16;
  private blocks: Float64Array[] = [];
  private cur: Float64Array;
  private used = 0;
  length = 0;
  /** `capacity`: a hint of the expected size (the first block is at most 256 values). */
  constructor(capacity = 256) {
    this.cur = new Float64Array(Math.min(Math.max(capacity, 16), 256));
  }
  push(v: number): void {
    if (this.used === this.cur.length) {
      this.blocks.push(this.cur);
      this.cur = new Float64Array(Math.min(this.cur.length * 2, FloatColumn.MAX_BLOCK));
      this.used = 0;
    }
    this.cur[this.used++] = v;
    this.length++;
  }
  /** The values as one exact-length array; blocks are released as they are copied. Call once. */
  finish(): Float64Array {
    if (this.blocks.length === 0) return this.used === this.cur.length ? this.cur : this.cur.slice(0, this.used);
    const out = new Float64Array(this.length);
    let o = 0;
    for (let b = 0; b < this.blocks.length; b++) {
      out.set(this.blocks[b], o);
      o += this.blocks[b].length;
      this.blocks[b] = EMPTY;
    }
    out.set(this.cur.subarray(0, this.used), o);
    this.blocks = [];
    this.cur = EMPTY;
    this.used = 0;
    return out;
  }
}
const EMPTY = new Float64Array(0);
