/**
 * Growable typed arrays and an open-addressing hash table from OSM ids (up to 2^53) to
 * dense indices: the build keeps one entry per node of the road network, never one per
 * node of the file, and a JS Map would cap at 2^24 entries and cost ~80 bytes each.
 */

type TypedArray = Uint8Array | Uint32Array | Int32Array | Float32Array | Float64Array;
type Ctor<T extends TypedArray> = { new (n: number): T };

export interface Growable<T extends TypedArray> {
  data: T;
  length: number;
  reserve(extra: number): void;
  push(v: number): void;
  toArray(): T;
}

/**
 * A growable array class for one typed-array type. Each call makes a distinct class, so
 * each element type gets its own (monomorphic) push: one generic class shared by five
 * array types would make every push a megamorphic call.
 */
function growable<T extends TypedArray>(ctor: Ctor<T>): { new (capacity?: number): Growable<T> } {
  return class {
    data: T;
    length = 0;
    constructor(capacity = 1024) {
      this.data = new ctor(Math.max(1, capacity));
    }
    reserve(extra: number): void {
      const need = this.length + extra;
      if (need <= this.data.length) return;
      let cap = this.data.length * 2;
      while (cap < need) cap *= 2;
      const next = new ctor(cap);
      next.set(this.data as never);
      this.data = next;
    }
    push(v: number): void {
      if (this.length === this.data.length) this.reserve(1);
      this.data[this.length++] = v;
    }
    toArray(): T {
      return this.data.slice(0, this.length) as T;
    }
  };
}

export const GrowU8 = growable(Uint8Array);
export const GrowU32 = growable(Uint32Array);
export const GrowF64 = growable(Float64Array);

/** Map from an integer id (|id| < 2^53) to its insertion index 0, 1, 2, … */
export class IdTable {
  private keys: Float64Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(capacity = 1 << 16) {
    let cap = 16;
    while (cap < capacity * 2) cap *= 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  private static hash(id: number): number {
    const lo = id >>> 0;
    const hi = Math.floor(id / 4294967296) | 0;
    let h = Math.imul(lo ^ Math.imul(hi, 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 15;
    h = Math.imul(h, 0x85ebca6b);
    return (h ^ (h >>> 13)) >>> 0;
  }

  /** Index of id, or -1. */
  get(id: number): number {
    const { keys, vals, mask } = this;
    let i = IdTable.hash(id) & mask;
    for (;;) {
      const v = vals[i];
      if (v < 0) return -1;
      if (keys[i] === id) return v;
      i = (i + 1) & mask;
    }
  }

  /** Index of id, inserting it with the next index if absent. */
  add(id: number): number {
    if (this.size * 2 >= this.vals.length) this.rehash();
    const { keys, vals, mask } = this;
    let i = IdTable.hash(id) & mask;
    for (;;) {
      const v = vals[i];
      if (v < 0) {
        keys[i] = id;
        vals[i] = this.size;
        return this.size++;
      }
      if (keys[i] === id) return v;
      i = (i + 1) & mask;
    }
  }

  private rehash(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const cap = oldVals.length * 2;
    this.keys = new Float64Array(cap);
    this.vals = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    for (let j = 0; j < oldVals.length; j++) {
      if (oldVals[j] < 0) continue;
      let i = IdTable.hash(oldKeys[j]) & this.mask;
      while (this.vals[i] >= 0) i = (i + 1) & this.mask;
      this.keys[i] = oldKeys[j];
      this.vals[i] = oldVals[j];
    }
  }

  /** Bytes held. */
  get byteLength(): number {
    return this.keys.byteLength + this.vals.byteLength;
  }
}
