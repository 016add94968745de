/** FNV-1a over the id's UTF-16 units, then mixed so that sequential ids spread. Kept to 30 bits so it stays a small integer. */
const hashOf = (id: string): number => {
  let hash = 0x811c9dc5;
  for (let index = 0; index < id.length; index += 1)
    hash = Math.imul(hash ^ id.charCodeAt(index), 0x01000193);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  return (hash ^ (hash >>> 13)) & 0x3fffffff;
};

/** Fields of one entry, side by side in `entries`. */
const HASH = 0;
const ID = 1;
const VALUE = 2;
const STRIDE = 3;

/**
 * Live orders by id: an open-addressing hash table (linear probing, at most half full)
 * that keeps each entry's hash, id and value side by side in one array. A `Map` with a
 * million string keys costs a cache miss for its bucket, one for its entry and one for
 * the header of every other key on the bucket's chain, which it reads to compare; here a
 * lookup reads the id's characters and one run of adjacent entries, and compares ids only
 * when their hashes agree (ADR 0029). Deleting shifts later entries of the run back, so
 * the table has no tombstones and never needs a rebuild to stay fast.
 */
export class OrderIndex<Value> {
  private entries: (number | string | Value | undefined)[];
  private mask: number;
  private count = 0;

  constructor(capacity = 16) {
    this.entries = new Array<undefined>(capacity * STRIDE).fill(undefined);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.count;
  }

  get(id: string): Value | undefined {
    const at = this.find(id, hashOf(id));
    return at === -1 ? undefined : (this.entries[at * STRIDE + VALUE] as Value);
  }

  has(id: string): boolean {
    return this.find(id, hashOf(id)) !== -1;
  }

  set(id: string, value: Value): void {
    const hash = hashOf(id);
    const found = this.find(id, hash);
    if (found !== -1) {
      this.entries[found * STRIDE + VALUE] = value;
      return;
    }
    if ((this.count + 1) * 2 > this.mask + 1) this.grow();
    this.insert(hash, id, value);
    this.count += 1;
  }

  delete(id: string): boolean {
    const found = this.find(id, hashOf(id));
    if (found === -1) return false;
    const { entries, mask } = this;
    let hole = found;
    for (let next = (hole + 1) & mask; entries[next * STRIDE + ID] !== undefined;) {
      const home = (entries[next * STRIDE + HASH] as number) & mask;
      // The entry at `next` may fill the hole when the hole lies on its probe path.
      if (((next - home) & mask) >= ((next - hole) & mask)) {
        for (let field = 0; field < STRIDE; field += 1)
          entries[hole * STRIDE + field] = entries[next * STRIDE + field];
        hole = next;
      }
      next = (next + 1) & mask;
    }
    for (let field = 0; field < STRIDE; field += 1) entries[hole * STRIDE + field] = undefined;
    this.count -= 1;
    return true;
  }

  *values(): Generator<Value> {
    for (let at = 0; at <= this.mask; at += 1)
      if (this.entries[at * STRIDE + ID] !== undefined)
        yield this.entries[at * STRIDE + VALUE] as Value;
  }

  /** The entry index of `id`, or -1. */
  private find(id: string, hash: number): number {
    const { entries, mask } = this;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const key = entries[at * STRIDE + ID];
      if (key === undefined) return -1;
      if (entries[at * STRIDE + HASH] === hash && key === id) return at;
    }
  }

  private insert(hash: number, id: string, value: Value): void {
    const { entries, mask } = this;
    let at = hash & mask;
    while (entries[at * STRIDE + ID] !== undefined) at = (at + 1) & mask;
    entries[at * STRIDE + HASH] = hash;
    entries[at * STRIDE + ID] = id;
    entries[at * STRIDE + VALUE] = value;
  }

  private grow(): void {
    const old = this.entries;
    const capacity = (this.mask + 1) * 2;
    this.entries = new Array<undefined>(capacity * STRIDE).fill(undefined);
    this.mask = capacity - 1;
    for (let at = 0; at < old.length; at += STRIDE) {
      const id = old[at + ID];
      if (id !== undefined)
        this.insert(old[at + HASH] as number, id as string, old[at + VALUE] as Value);
    }
  }
}
