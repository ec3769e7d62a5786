/**
 * DIMACS shortest-path formats (9th DIMACS Implementation Challenge):
 *   .gr  `c …` comments, `p sp N M`, then M arcs `a u v w` (1-based ids, integer w ≥ 0)
 *   .co  `p aux sp co N`, then `v id x y` (x, y in millionths of a degree: lon, lat)
 * The readers stream byte chunks (plain or already decompressed) and parse numbers
 * straight from the bytes: no per-line strings on the hot path.
 */
import { GraphFormatError } from './road-graph.ts';

/** A DIMACS file that does not follow the format; names the file and the 1-based line. */
export class DimacsError extends GraphFormatError {
  override name = 'DimacsError';
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: ${detail}`);
  }
}

export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Splits a byte stream into lines and hands each to `onLine(bytes, start, end, lineNo)`. */
async function forEachLine(
  source: ByteSource,
  file: string,
  onLine: (buf: Uint8Array, start: number, end: number, line: number) => void,
): Promise<number> {
  let carry: Uint8Array | null = null;
  let line = 0;
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      const buf: Uint8Array = chunk;
      let start = 0;
      if (carry) {
        const nl = buf.indexOf(10);
        if (nl < 0) {
          const joined: Uint8Array = new Uint8Array(carry.length + buf.length);
          joined.set(carry);
          joined.set(buf, carry.length);
          carry = joined;
          continue;
        }
        const joined: Uint8Array = new Uint8Array(carry.length + nl);
        joined.set(carry);
        joined.set(buf.subarray(0, nl), carry.length);
        carry = null;
        onLine(joined, 0, joined.length, ++line);
        start = nl + 1;
      }
      let nl = buf.indexOf(10, start);
      while (nl >= 0) {
        onLine(buf, start, nl, ++line);
        start = nl + 1;
        nl = buf.indexOf(10, start);
      }
      if (start < buf.length) carry = buf.slice(start);
    }
  } catch (err) {
    if (err instanceof DimacsError) throw err;
    throw new DimacsError(file, line + 1, `cannot read: ${(err as Error).message}`);
  }
  if (carry && carry.length > 0) onLine(carry, 0, carry.length, ++line);
  return line;
}

/** Tokeniser over one line: reads whitespace-separated integers and words. */
class Fields {
  buf!: Uint8Array;
  pos = 0;
  end = 0;
  set(buf: Uint8Array, start: number, end: number): void {
    this.buf = buf;
    this.pos = start;
    // Tolerate CRLF.
    this.end = end > start && buf[end - 1] === 13 ? end - 1 : end;
  }
  private skip(): void {
    while (this.pos < this.end && (this.buf[this.pos] === 32 || this.buf[this.pos] === 9)) this.pos++;
  }
  /** Next token as an integer; NaN if it is not one, undefined at end of line. */
  int(): number | undefined {
    this.skip();
    if (this.pos >= this.end) return undefined;
    const buf = this.buf;
    let neg = false;
    if (buf[this.pos] === 45) {
      neg = true;
      this.pos++;
    }
    let value = 0;
    let digits = 0;
    while (this.pos < this.end) {
      const c = buf[this.pos];
      if (c === 32 || c === 9) break;
      if (c < 48 || c > 57) {
        while (this.pos < this.end && buf[this.pos] !== 32 && buf[this.pos] !== 9) this.pos++;
        return NaN;
      }
      value = value * 10 + (c - 48);
      digits++;
      this.pos++;
    }
    if (digits === 0) return NaN;
    return neg ? -value : value;
  }
  word(): string | undefined {
    this.skip();
    if (this.pos >= this.end) return undefined;
    const s = this.pos;
    while (this.pos < this.end && this.buf[this.pos] !== 32 && this.buf[this.pos] !== 9) this.pos++;
    return new TextDecoder().decode(this.buf.subarray(s, this.pos));
  }
  rest(): string {
    return new TextDecoder().decode(this.buf.subarray(this.pos, this.end)).trim();
  }
}

export interface DimacsGraph {
  nodeCount: number;
  /** 0-based tails, heads and costs, in file order. */
  from: Uint32Array;
  to: Uint32Array;
  weight: Uint32Array;
  /** 1-based line of the problem line (for error messages about the graph as a whole). */
  problemLine?: number;
}

/**
 * Largest counts a problem line may declare. Nodes: 2^28 (268 M, ten times the full USA
 * DIMACS graph) — the graph build allocates per declared node before it can notice the
 * count is wrong (a stray digit, `p sp 2000000000 1`, took 16 GB and 90 s before failing).
 * Arcs: ids of the Uint32 arrays; arc arrays grow as arcs arrive, so a wrong count costs
 * nothing until the final count check.
 */
const MAX_NODES = 2 ** 28;
const MAX_ARCS = 0xfffffffe;

function grow(a: Uint32Array, cap: number): Uint32Array<ArrayBuffer> {
  const b = new Uint32Array(cap);
  b.set(a);
  return b;
}

/**
 * Reads a `.gr` stream. Checks the problem line, every id (1..N), every weight
 * (non-negative integer < 2^32 - 1) and the arc count; throws DimacsError with file and line.
 * @param file name used in error messages.
 */
export async function parseDimacsGraph(source: ByteSource, file = '<stream>'): Promise<DimacsGraph> {
  const f = new Fields();
  let n = -1;
  let mDeclared = -1;
  let k = 0;
  let problemLine = 0;
  let from = new Uint32Array(0);
  let to = new Uint32Array(0);
  let weight = new Uint32Array(0);
  const lines = await forEachLine(source, file, (buf, start, end, line) => {
    if (end === start) return;
    const tag = buf[start];
    if (tag === 99 /* c */) return;
    f.set(buf, start + 1, end);
    if (tag === 97 /* a */) {
      if (n < 0) throw new DimacsError(file, line, 'arc before the problem line `p sp N M`');
      const u = f.int();
      const v = f.int();
      const w = f.int();
      if (u === undefined || v === undefined || w === undefined || f.int() !== undefined) {
        throw new DimacsError(file, line, `an arc line must be \`a u v w\`, got \`${new TextDecoder().decode(buf.subarray(start, end)).trim()}\``);
      }
      if (!(u >= 1 && u <= n)) throw new DimacsError(file, line, `node id ${Number.isNaN(u) ? 'is not a number' : u} out of range 1..${n}`);
      if (!(v >= 1 && v <= n)) throw new DimacsError(file, line, `node id ${Number.isNaN(v) ? 'is not a number' : v} out of range 1..${n}`);
      if (Number.isNaN(w)) throw new DimacsError(file, line, 'weight is not a non-negative integer');
      if (w < 0) throw new DimacsError(file, line, `negative weight ${w}`);
      if (w >= 0xffffffff) throw new DimacsError(file, line, `weight ${w} too large (max 4294967294)`);
      if (k === mDeclared) throw new DimacsError(file, line, `more arcs than the ${mDeclared} declared in the problem line`);
      if (k === from.length) {
        // Grown as arcs arrive, not allocated from the declared count: a wrong or hostile
        // problem line must not make us allocate gigabytes before the count check fails.
        const cap = Math.min(mDeclared, Math.max(1024, from.length * 2));
        from = grow(from, cap);
        to = grow(to, cap);
        weight = grow(weight, cap);
      }
      from[k] = u - 1;
      to[k] = v - 1;
      weight[k] = w;
      k++;
      return;
    }
    if (tag === 112 /* p */) {
      if (n >= 0) throw new DimacsError(file, line, 'second problem line');
      const kind = f.word();
      const nn = f.int();
      const mm = f.int();
      if (kind !== 'sp' || nn === undefined || mm === undefined || !(nn >= 0) || !(mm >= 0)) {
        throw new DimacsError(file, line, 'problem line must be `p sp N M` with N, M ≥ 0');
      }
      if (nn > MAX_NODES) throw new DimacsError(file, line, `node count ${nn} too large (at most ${MAX_NODES})`);
      if (mm > MAX_ARCS) throw new DimacsError(file, line, `arc count ${mm} too large (at most ${MAX_ARCS})`);
      n = nn;
      mDeclared = mm;
      problemLine = line;
      return;
    }
    throw new DimacsError(file, line, `unknown line type \`${String.fromCharCode(tag)}\` (expected c, p or a)`);
  });
  if (n < 0) throw new DimacsError(file, lines, 'no problem line `p sp N M` found');
  if (k !== mDeclared) throw new DimacsError(file, lines, `problem line declares ${mDeclared} arcs, file has ${k}`);
  return { nodeCount: n, from, to, weight, problemLine };
}

/**
 * Reads a `.co` stream into interleaved [lon, lat] degrees (Float64Array of 2N).
 * Every node 1..N must appear once.
 */
export async function parseDimacsCoords(source: ByteSource, file = '<stream>'): Promise<Float64Array> {
  const f = new Fields();
  let n = -1;
  let coords = new Float64Array(0);
  let seen = new Uint8Array(0);
  let count = 0;
  const lines = await forEachLine(source, file, (buf, start, end, line) => {
    if (end === start) return;
    const tag = buf[start];
    if (tag === 99) return;
    f.set(buf, start + 1, end);
    if (tag === 118 /* v */) {
      if (n < 0) throw new DimacsError(file, line, 'coordinate before the problem line `p aux sp co N`');
      const id = f.int();
      const x = f.int();
      const y = f.int();
      if (id === undefined || x === undefined || y === undefined || Number.isNaN(x) || Number.isNaN(y)) {
        throw new DimacsError(file, line, 'a coordinate line must be `v id x y` with integers');
      }
      if (!(id >= 1 && id <= n)) throw new DimacsError(file, line, `node id ${id} out of range 1..${n}`);
      if (seen[id - 1]) throw new DimacsError(file, line, `node ${id} has two coordinate lines`);
      seen[id - 1] = 1;
      coords[2 * (id - 1)] = x / 1e6;
      coords[2 * (id - 1) + 1] = y / 1e6;
      count++;
      return;
    }
    if (tag === 112) {
      const words = [f.word(), f.word(), f.word()];
      const nn = f.int();
      if (words.join(' ') !== 'aux sp co' || nn === undefined || !(nn >= 0)) {
        throw new DimacsError(file, line, 'problem line must be `p aux sp co N`');
      }
      if (nn > MAX_NODES) throw new DimacsError(file, line, `node count ${nn} too large (at most ${MAX_NODES})`);
      n = nn;
      try {
        coords = new Float64Array(2 * n);
        seen = new Uint8Array(n);
      } catch (err) {
        throw new DimacsError(file, line, `cannot hold coordinates for ${n} nodes (${(err as Error).message})`);
      }
      return;
    }
    throw new DimacsError(file, line, `unknown line type \`${String.fromCharCode(tag)}\` (expected c, p or v)`);
  });
  if (n < 0) throw new DimacsError(file, lines, 'no problem line `p aux sp co N` found');
  if (count !== n) throw new DimacsError(file, lines, `problem line declares ${n} nodes, file has ${count} coordinates`);
  return coords;
}

/** Writes a graph as `.gr` text, in chunks of about 1 MB. */
export function* formatDimacsGraph(
  edges: { nodeCount: number; from: ArrayLike<number>; to: ArrayLike<number>; weight: ArrayLike<number> },
  comment = 'written by fs-access',
): Generator<string> {
  const m = edges.from.length;
  let out = `c ${comment}\np sp ${edges.nodeCount} ${m}\n`;
  for (let i = 0; i < m; i++) {
    out += `a ${edges.from[i] + 1} ${edges.to[i] + 1} ${edges.weight[i]}\n`;
    if (out.length > 1 << 20) {
      yield out;
      out = '';
    }
  }
  yield out;
}

/** Writes interleaved [lon, lat] degrees as `.co` text (millionths of a degree, rounded). */
export function* formatDimacsCoords(coords: ArrayLike<number>, comment = 'written by fs-access'): Generator<string> {
  const n = coords.length / 2;
  let out = `c ${comment}\np aux sp co ${n}\n`;
  for (let i = 0; i < n; i++) {
    out += `v ${i + 1} ${Math.round(coords[2 * i] * 1e6)} ${Math.round(coords[2 * i + 1] * 1e6)}\n`;
    if (out.length > 1 << 20) {
      yield out;
      out = '';
    }
  }
  yield out;
}
