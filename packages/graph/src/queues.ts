/**
 * Two priority queues for integer costs, behind one small interface so the search
 * loop is written once. Both allow duplicate entries of a node (lazy deletion):
 * the search skips an entry whose node was already settled at a lower cost.
 */
export interface CostQueue {
  readonly size: number;
  /** Adds node with an integer key. Keys pushed after a pop must be ≥ the popped key. */
  push(node: number, key: number): void;
  /** Removes the entry with the smallest key and returns its node; the key is in `lastKey`. */
  pop(): number;
  /** Key of the last popped entry. */
  readonly lastKey: number;
  /** Empties the queue (keeps its memory). */
  clear(): void;
}

/** Flat binary min-heap on parallel typed arrays (flatqueue style), growing by doubling. */
export class BinaryHeap implements CostQueue {
  private ids: Uint32Array;
  private keys: Uint32Array;
  size = 0;
  lastKey = 0;

  constructor(capacity = 1024) {
    this.ids = new Uint32Array(capacity);
    this.keys = new Uint32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(node: number, key: number): void {
    if (this.size === this.ids.length) {
      const ids = new Uint32Array(this.ids.length * 2);
      ids.set(this.ids);
      const keys = new Uint32Array(this.keys.length * 2);
      keys.set(this.keys);
      this.ids = ids;
      this.keys = keys;
    }
    const ids = this.ids;
    const keys = this.keys;
    let pos = this.size++;
    while (pos > 0) {
      const parent = (pos - 1) >> 1;
      const pk = keys[parent];
      if (key >= pk) break;
      ids[pos] = ids[parent];
      keys[pos] = pk;
      pos = parent;
    }
    ids[pos] = node;
    keys[pos] = key;
  }

  pop(): number {
    const ids = this.ids;
    const keys = this.keys;
    const top = ids[0];
    this.lastKey = keys[0];
    const n = --this.size;
    if (n > 0) {
      const id = ids[n];
      const key = keys[n];
      let pos = 0;
      const half = n >> 1;
      while (pos < half) {
        let left = (pos << 1) + 1;
        const right = left + 1;
        if (right < n && keys[right] < keys[left]) left = right;
        if (keys[left] >= key) break;
        ids[pos] = ids[left];
        keys[pos] = keys[left];
        pos = left;
      }
      ids[pos] = id;
      keys[pos] = key;
    }
    return top;
  }
}

/**
 * Dial's bucket queue: a circular array of buckets, one per cost value, as wide as the
 * largest arc cost + 1 (rounded up to a power of two). Valid because every pending key
 * lies in [current, current + maxArcCost]. Entries are singly linked lists in a pooled
 * pair of typed arrays, recycled through a free list.
 */
export class BucketQueue implements CostQueue {
  private readonly mask: number;
  private readonly heads: Int32Array;
  private next: Int32Array;
  private nodes: Uint32Array;
  private free = -1;
  private used = 0;
  private current = 0;
  size = 0;
  lastKey = 0;

  /** @param span the largest difference between two keys pending at once (max arc cost, or the spread of seed costs if larger). */
  constructor(span: number, capacity = 1024) {
    let width = 1;
    while (width < span + 1) width *= 2;
    this.mask = width - 1;
    this.heads = new Int32Array(width).fill(-1);
    this.next = new Int32Array(capacity);
    this.nodes = new Uint32Array(capacity);
  }

  clear(): void {
    // A drained queue already has every head at -1 (pop unlinks as it goes): only a queue
    // left with entries needs the O(width) reset — bounded searches drain theirs.
    if (this.size > 0) this.heads.fill(-1);
    this.size = 0;
    this.used = 0;
    this.free = -1;
    this.current = 0;
  }

  push(node: number, key: number): void {
    let entry = this.free;
    if (entry >= 0) {
      this.free = this.next[entry];
    } else {
      if (this.used === this.nodes.length) this.grow();
      entry = this.used++;
    }
    // Before the first pop (multi-source seeds) keys may come in any order.
    if (this.size === 0 || key < this.current) this.current = key;
    const b = key & this.mask;
    this.nodes[entry] = node;
    this.next[entry] = this.heads[b];
    this.heads[b] = entry;
    this.size++;
  }

  pop(): number {
    const heads = this.heads;
    const mask = this.mask;
    let key = this.current;
    let entry = heads[key & mask];
    while (entry < 0) {
      key++;
      entry = heads[key & mask];
    }
    this.current = key;
    this.lastKey = key;
    heads[key & mask] = this.next[entry];
    this.next[entry] = this.free;
    this.free = entry;
    this.size--;
    return this.nodes[entry];
  }

  private grow(): void {
    const next = new Int32Array(this.next.length * 2);
    next.set(this.next);
    const nodes = new Uint32Array(this.nodes.length * 2);
    nodes.set(this.nodes);
    this.next = next;
    this.nodes = nodes;
  }
}
