// Uniqueness of a column (or a primary key) over millions of rows in bounded memory: an open-addressing
// table of 64-bit hashes of the values (two independent 32-bit hashes), each with the row it was first
// seen on, so that a duplicate can name that row. 12 bytes a slot, at most half full: at the default
// capacity of 2,097,152 distinct values a table takes 48 MiB (72 MiB for the moment it grows), and beyond
// it the check stops (the report says so in a warning) rather than growing. With 64-bit hashes, the chance
// that two different values collide among 2 million is about 1 in 8 million (n²/2^65); a collision would
// report a false duplicate, never hide a real one.

export const DEFAULT_UNIQUE_CAPACITY = 2_097_152;

/** 32-bit FNV-1a and a murmur-style mix with another seed, over the UTF-16 code units. */
export function hash64(text: string): [number, number] {
  let h1 = 0x811c9dc5;
  let h2 = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= text.length;
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0xc2b2ae35);
  h2 ^= h2 >>> 16;
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 ^= h1 >>> 13;
  return [h1 >>> 0, h2 >>> 0];
}

export class BoundedHashSet {
  private slots = 1024;
  private a = new Uint32Array(this.slots);
  private b = new Uint32Array(this.slots);
  private rows = new Uint32Array(this.slots);
  private count = 0;
  readonly capacity: number;
  /** True once a value could not be stored because the capacity was reached. */
  full = false;

  constructor(capacity = DEFAULT_UNIQUE_CAPACITY) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Records `text` seen on `row` (row ≥ 1). Returns the row it was first seen on when it was already there,
   * 0 when it is new (or could not be recorded: see `full`).
   */
  add(text: string, row: number): number {
    const [h1, h2] = hash64(text);
    // Slot 0 of `rows` marks an empty slot: rows start at 1.
    let mask = this.slots - 1;
    let i = h1 & mask;
    while (this.rows[i] !== 0) {
      if (this.a[i] === h1 && this.b[i] === h2) return this.rows[i]!;
      i = (i + 1) & mask;
    }
    if (this.count >= this.capacity) {
      this.full = true;
      return 0;
    }
    if ((this.count + 1) * 2 > this.slots) {
      this.grow();
      mask = this.slots - 1;
      i = h1 & mask;
      while (this.rows[i] !== 0) i = (i + 1) & mask;
    }
    this.a[i] = h1;
    this.b[i] = h2;
    this.rows[i] = row;
    this.count++;
    return 0;
  }

  private grow(): void {
    const { a, b, rows } = this;
    this.slots *= 2;
    const mask = this.slots - 1;
    this.a = new Uint32Array(this.slots);
    this.b = new Uint32Array(this.slots);
    this.rows = new Uint32Array(this.slots);
    for (let j = 0; j < rows.length; j++) {
      if (rows[j] === 0) continue;
      let i = a[j]! & mask;
      while (this.rows[i] !== 0) i = (i + 1) & mask;
      this.a[i] = a[j]!;
      this.b[i] = b[j]!;
      this.rows[i] = rows[j]!;
    }
  }
}
