/**
 * The fuzzing harness shared by the CI tests (test/fuzz/*.test.ts, 10,000 inputs per
 * reader) and the long run (scripts/fuzz.ts, 100,000+). A target generates inputs with
 * fast-check (valid structures, then byte- or token-level mutations) and checks one: the
 * reader must either succeed — and then its result must satisfy the target's invariants —
 * or throw one of the target's typed errors. Anything else (a TypeError, a RangeError, a
 * hang, a wrong result) is a failure, shrunk by fast-check to a small counterexample.
 */
import fc from 'fast-check';

type ErrorClass = abstract new (...args: never[]) => Error;

export interface FuzzTarget<T, C = unknown> {
  /** Short name: 'pbf', 'dimacs', 'csv-sites', … */
  name: string;
  /** What is fuzzed, for reports. */
  reader: string;
  arbitrary: fc.Arbitrary<T>;
  /** Typed errors the reader may throw on bad input. */
  allowed: ErrorClass[];
  /** Per-run context (temp folder…), made once per fuzz run. */
  setup?(): C | Promise<C>;
  teardown?(ctx: C): void | Promise<void>;
  /** Runs the reader on one input; checks the invariants of a success. */
  check(input: T, ctx: C): unknown | Promise<unknown>;
}

export interface FuzzReport {
  target: string;
  reader: string;
  runs: number;
  seed: number;
  ms: number;
  /** 'ok' and the name of each typed error, with counts. */
  outcomes: Record<string, number>;
  /** Set when a run failed: fast-check's report with the shrunk counterexample. */
  failure?: string;
}

/** The error's class name if it is one of `allowed` (instance and same `name`), else undefined. */
export function typedName(err: unknown, allowed: ErrorClass[]): string | undefined {
  if (!(err instanceof Error)) return undefined;
  for (const cls of allowed) if (err instanceof cls && err.name === cls.name) return cls.name;
  return undefined;
}

/**
 * Runs `target` on `numRuns` generated inputs. Never throws for a failing input: the
 * failure is in the report (the test asserts there is none).
 */
export async function runFuzz<T, C>(target: FuzzTarget<T, C>, numRuns: number, seed: number): Promise<FuzzReport> {
  const outcomes: Record<string, number> = {};
  const ctx = (await target.setup?.()) as C;
  const t0 = performance.now();
  try {
    const property = fc.asyncProperty(target.arbitrary, async (input) => {
      let outcome = 'ok';
      try {
        await target.check(input, ctx);
      } catch (err) {
        const name = typedName(err, target.allowed);
        if (!name) throw err;
        outcome = name;
      }
      outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
    });
    const details = await fc.check(property, { numRuns, seed, timeout: 10_000, endOnFailure: false, markInterruptAsFailure: true });
    const report: FuzzReport = { target: target.name, reader: target.reader, runs: details.numRuns, seed, ms: performance.now() - t0, outcomes };
    if (details.failed) {
      const err = details.errorInstance as Error | undefined;
      report.failure = `${target.name}: failed after ${details.numRuns} runs (seed ${seed}, path "${details.counterexamplePath}")\n` +
        `counterexample: ${fc.stringify(details.counterexample)}\n` +
        `error: ${err?.stack ?? String(details.errorInstance)}`;
    }
    return report;
  } finally {
    await target.teardown?.(ctx);
  }
}

/** One byte-level mutation: where (a fraction of the length), what, how many bytes. */
export interface ByteMutation {
  op: 'flip' | 'set' | 'insert' | 'delete' | 'truncate' | 'zero' | 'duplicate' | 'varint';
  at: number;
  value: number;
  len: number;
}

export const byteMutations = (maxLength = 4): fc.Arbitrary<ByteMutation[]> =>
  fc.array(
    fc.record({
      op: fc.constantFrom('flip', 'set', 'insert', 'delete', 'truncate', 'zero', 'duplicate', 'varint') as fc.Arbitrary<ByteMutation['op']>,
      at: fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }),
      value: fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(0, 0x7f, 0x80, 0xff, 0xc9, 0x0a, 0x22, 0x3b, 0x2c)),
      len: fc.integer({ min: 1, max: 40 }),
    }),
    { maxLength },
  );

/** Applies the mutations in order (positions taken as a share of the current length). */
export function mutate(bytes: Uint8Array, mutations: ByteMutation[]): Uint8Array {
  let b = bytes;
  for (const m of mutations) {
    const at = Math.floor(m.at * (b.length + 1));
    const end = Math.min(b.length, at + m.len);
    switch (m.op) {
      case 'flip': {
        b = b.slice();
        if (at < b.length) b[at] ^= 1 << (m.value & 7);
        break;
      }
      case 'set': {
        b = b.slice();
        if (at < b.length) b[at] = m.value;
        break;
      }
      case 'zero': {
        b = b.slice();
        b.fill(0, at, end);
        break;
      }
      case 'insert': {
        const ins = new Uint8Array(m.len).fill(m.value);
        b = concat(b.subarray(0, at), ins, b.subarray(at));
        break;
      }
      case 'delete':
        b = concat(b.subarray(0, at), b.subarray(end));
        break;
      case 'truncate':
        b = b.slice(0, at);
        break;
      case 'varint': {
        // Overwrite with a long varint (a length or count of 2^21..2^35): the classic corrupt size field.
        b = b.slice();
        const v = [0x80 | m.value, 0x80 | (m.value >> 1), 0x80 | m.len, m.len & 0x7f];
        for (let k = 0; k < v.length && at + k < b.length; k++) b[at + k] = v[k];
        break;
      }
      case 'duplicate':
        b = concat(b.subarray(0, end), b.subarray(at, end), b.subarray(end));
        break;
    }
  }
  return b;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Splits bytes into chunks at the given cut points (shares of the length): readers must not depend on chunking. */
export function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => Math.floor(c * bytes.length)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    if (p > prev) out.push(bytes.subarray(prev, p));
    prev = Math.max(prev, p);
  }
  return out;
}

/** The seed of a fuzz run: FUZZ_SEED, else a fixed one (CI runs are reproducible). */
export function fuzzSeed(): number {
  const s = Number(process.env.FUZZ_SEED);
  return Number.isInteger(s) ? s : 20240801;
}

/** Inputs per reader in CI (FUZZ_RUNS overrides; the brief asks for ≥ 10,000). */
export function ciRuns(): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(n) && n > 0 ? n : 10_000;
}

/**
 * For the tests: the run saw every input, none failed, and the generator is not
 * degenerate (at least `minShareOk` of the inputs were read successfully, and — unless
 * `allowed` is empty — at least one typed error was met).
 */
export function assertClean(report: FuzzReport, numRuns: number, minShareOk: number, expectErrors = true): void {
  if (report.failure) throw new Error(report.failure);
  const seen = Object.values(report.outcomes).reduce((a, b) => a + b, 0);
  if (report.runs !== numRuns || seen !== numRuns) throw new Error(`${report.target}: ${report.runs} runs, ${seen} outcomes, expected ${numRuns}`);
  const ok = report.outcomes.ok ?? 0;
  if (ok < minShareOk * numRuns) throw new Error(`${report.target}: only ${ok} of ${numRuns} inputs were read successfully: the generator is too destructive (${JSON.stringify(report.outcomes)})`);
  if (expectErrors && ok === numRuns) throw new Error(`${report.target}: no input was rejected: the generator never produces bad input`);
}
