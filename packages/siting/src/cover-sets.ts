import { SitingInputError } from './errors.ts';

const TRUSTED: unique symbol = Symbol('trusted');

/**
 * Cover sets in CSR form: candidate c covers the demand units
 * `units[offsets[c]] … units[offsets[c+1]-1]`.
 *
 * Invariants (checked by the constructor): `offsets` has `candidateCount + 1`
 * non-decreasing entries starting at 0 and ending at `units.length`; every unit id is
 * `< unitCount`; each row is sorted ascending without repeats. Sorted rows make a cover
 * set canonical, so results do not depend on the order in which a search (or a worker)
 * found the units, and float sums over a row always run in the same order.
 */
export class CoverSets {
  readonly candidateCount: number;

  constructor(
    /** Number of demand units (unit ids are 0 … unitCount-1). */
    readonly unitCount: number,
    readonly offsets: Uint32Array,
    readonly units: Uint32Array,
    /** Internal: skip the O(size) check for arrays assembled from already checked cover sets. */
    trusted?: typeof TRUSTED,
  ) {
    this.candidateCount = offsets.length - 1;
    if (trusted === TRUSTED) return;
    if (!Number.isInteger(unitCount) || unitCount < 0) throw new SitingInputError(`unitCount must be a non-negative integer, got ${unitCount}`);
    if (offsets.length < 1 || offsets[0] !== 0) throw new SitingInputError('offsets must start at 0');
    if (offsets[offsets.length - 1] !== units.length) {
      throw new SitingInputError(`offsets end at ${offsets[offsets.length - 1]}, units has ${units.length} entries`);
    }
    for (let c = 0; c < this.candidateCount; c++) {
      const a = offsets[c];
      const b = offsets[c + 1];
      if (b < a) throw new SitingInputError(`offsets decrease at candidate ${c}`);
      for (let i = a; i < b; i++) {
        const u = units[i];
        if (u >= unitCount) throw new SitingInputError(`candidate ${c} covers unit ${u}, beyond unitCount ${unitCount}`);
        if (i > a && units[i - 1] >= u) throw new SitingInputError(`cover set of candidate ${c} is not sorted ascending without repeats`);
      }
    }
  }

  /** Number of units candidate c covers. */
  size(c: number): number {
    return this.offsets[c + 1] - this.offsets[c];
  }

  /** The units candidate c covers (a view, sorted ascending). */
  row(c: number): Uint32Array {
    return this.units.subarray(this.offsets[c], this.offsets[c + 1]);
  }

  /**
   * Cover sets from a long list of (unit, candidate, cost) triples: unit u is in the set
   * of candidate c when some triple (u, c, cost) has cost ≤ radius (inclusive, like
   * spopt's `cost <= service_radius`). Repeated pairs count once. Costs that are NaN or
   * negative are refused (SitingInputError naming the triple's index); +Infinity means
   * "no route".
   */
  static fromCostList(input: {
    unitCount: number;
    candidateCount: number;
    unit: ArrayLike<number>;
    candidate: ArrayLike<number>;
    cost: ArrayLike<number>;
    radius: number;
  }): CoverSets {
    const { unitCount, candidateCount, unit, candidate, cost, radius } = input;
    const n = unit.length;
    if (candidate.length !== n || cost.length !== n) throw new SitingInputError('unit, candidate and cost must have the same length');
    if (!(radius >= 0)) throw new SitingInputError(`radius must be ≥ 0, got ${radius}`);
    const builder = new CoverSetsBuilder(unitCount);
    // Counting sort by candidate, keeping only pairs within the radius.
    const count = new Uint32Array(candidateCount + 1);
    for (let i = 0; i < n; i++) {
      const c = candidate[i];
      const u = unit[i];
      const w = cost[i];
      if (!(c >= 0 && c < candidateCount && Number.isInteger(c))) throw new SitingInputError(`triple ${i}: candidate ${c} out of range 0..${candidateCount - 1}`);
      if (!(u >= 0 && u < unitCount && Number.isInteger(u))) throw new SitingInputError(`triple ${i}: unit ${u} out of range 0..${unitCount - 1}`);
      if (Number.isNaN(w) || w < 0) throw new SitingInputError(`triple ${i}: cost ${w} is not a non-negative number`);
      if (w <= radius) count[c + 1]++;
    }
    for (let c = 0; c < candidateCount; c++) count[c + 1] += count[c];
    const fill = count.slice(0, candidateCount);
    const flat = new Uint32Array(count[candidateCount]);
    for (let i = 0; i < n; i++) if (cost[i] <= radius) flat[fill[candidate[i]]++] = unit[i];
    for (let c = 0; c < candidateCount; c++) builder.add(c, flat.subarray(count[c], count[c + 1]));
    return builder.finish(candidateCount);
  }

  /** The cover sets of several blocks of candidates, one after the other (e.g. worker chunks). */
  static concat(parts: readonly CoverSets[], unitCount?: number): CoverSets {
    const nUnits = unitCount ?? (parts.length > 0 ? parts[0].unitCount : 0);
    let candidates = 0;
    let total = 0;
    for (const p of parts) {
      if (p.unitCount !== nUnits) throw new SitingInputError(`cannot concatenate cover sets over ${p.unitCount} and ${nUnits} units`);
      candidates += p.candidateCount;
      total += p.units.length;
    }
    const offsets = new Uint32Array(candidates + 1);
    const units = new Uint32Array(total);
    let c = 0;
    let at = 0;
    for (const p of parts) {
      for (let j = 0; j < p.candidateCount; j++) offsets[c + j + 1] = at + p.offsets[j + 1];
      units.set(p.units, at);
      c += p.candidateCount;
      at += p.units.length;
    }
    // Every part was checked when it was made: the concatenation keeps their invariants.
    return new CoverSets(nUnits, offsets, units, TRUSTED);
  }

  /** A plain object for JSON (arrays as number lists). */
  toJSON(): { unitCount: number; offsets: number[]; units: number[] } {
    return { unitCount: this.unitCount, offsets: Array.from(this.offsets), units: Array.from(this.units) };
  }
}

/**
 * Builds cover sets one candidate at a time. Candidates are added in increasing order
 * (a candidate skipped gets an empty set); each set is copied, sorted and deduplicated,
 * so the caller may pass a reused scratch view (e.g. `BoundedSearch.nodes()`).
 */
export class CoverSetsBuilder {
  private offsets: Uint32Array = new Uint32Array(1024);
  private units: Uint32Array = new Uint32Array(4096);
  private rows = 0;
  private length = 0;

  constructor(readonly unitCount: number) {
    if (!Number.isInteger(unitCount) || unitCount < 0) throw new SitingInputError(`unitCount must be a non-negative integer, got ${unitCount}`);
  }

  /** Number of candidates added so far (including skipped ones). */
  get candidateCount(): number {
    return this.rows;
  }

  private padTo(rows: number): void {
    if (rows + 1 > this.offsets.length) {
      let cap = this.offsets.length;
      while (cap < rows + 1) cap *= 2;
      const next = new Uint32Array(cap);
      next.set(this.offsets.subarray(0, this.rows + 1));
      this.offsets = next;
    }
    for (let r = this.rows + 1; r <= rows; r++) this.offsets[r] = this.length;
    this.rows = rows;
  }

  /** Sets the cover set of `candidate` (must be ≥ every candidate added before + 1). */
  add(candidate: number, unitIds: ArrayLike<number>): this {
    if (!Number.isInteger(candidate) || candidate < this.rows) {
      throw new SitingInputError(`candidates must be added in increasing order: got ${candidate} after ${this.rows - 1}`);
    }
    this.padTo(candidate);
    const row = Uint32Array.from(unitIds as ArrayLike<number>);
    for (let i = 0; i < unitIds.length; i++) {
      const u = unitIds[i];
      if (!(u >= 0 && u < this.unitCount && Number.isInteger(u))) {
        throw new SitingInputError(`candidate ${candidate}: unit ${u} out of range 0..${this.unitCount - 1}`);
      }
    }
    row.sort();
    if (this.length + row.length > this.units.length) {
      let cap = this.units.length;
      while (cap < this.length + row.length) cap *= 2;
      const next = new Uint32Array(cap);
      next.set(this.units.subarray(0, this.length));
      this.units = next;
    }
    let k = this.length;
    for (let i = 0; i < row.length; i++) {
      if (i > 0 && row[i] === row[i - 1]) continue;
      this.units[k++] = row[i];
    }
    this.length = k;
    this.padTo(candidate + 1);
    return this;
  }

  /** The cover sets; `candidateCount` (default: as many as added) pads with empty sets. */
  finish(candidateCount = this.rows): CoverSets {
    if (candidateCount < this.rows) throw new SitingInputError(`finish(${candidateCount}): ${this.rows} candidates were already added`);
    this.padTo(candidateCount);
    return new CoverSets(this.unitCount, this.offsets.slice(0, this.rows + 1), this.units.slice(0, this.length));
  }
}
