/**
 * The prediction ids a window's partial state has counted, held as 64-bit fingerprints in an open-addressing
 * table of typed arrays. A `Set<string>` kept every id string alive (tens of bytes each, promoted to the old
 * generation and traced by every major GC): on the estimator's hot path that cost more than the estimate
 * itself. Here an id costs 16 bytes at most and the garbage collector sees two arrays.
 *
 * Two distinct ids share a fingerprint with probability 2^-64 per pair: over n ids about n² / 2^65, under
 * 10^-5 for ten million ids in one window of one partition. Such a pair would count as one re-send.
 */
export class SeenIds {
  /** Slot i holds its fingerprint's two halves at 2i and 2i + 1: one cache line per probe. */
  private slots: Uint32Array;
  private used = 0;

  constructor(capacity = 1024) {
    const slots = 2 ** Math.ceil(Math.log2(Math.max(16, capacity * 2)));
    this.slots = new Uint32Array(2 * slots);
  }

  get size(): number {
    return this.used;
  }

  has(id: string): boolean {
    fingerprint(id);
    return this.slotOf(scratch[0]!, scratch[1]!) < 0;
  }

  /** Adds `id`; false when it (or another id with its fingerprint) was there already. */
  add(id: string): boolean {
    fingerprint(id);
    const h = scratch[0]!;
    const l = scratch[1]!;
    const at = this.slotOf(h, l);
    if (at < 0) return false;
    this.slots[at] = h;
    this.slots[at + 1] = l;
    this.used += 1;
    if (this.used * 4 > this.slots.length) this.grow();
    return true;
  }

  /**
   * The index of the free slot where (h, l) belongs, or −1 when it is present. Linear probing; (0, 0) marks a
   * free slot (a fingerprint is never (0, 0)).
   */
  private slotOf(h: number, l: number): number {
    const slots = this.slots;
    const mask = slots.length / 2 - 1;
    for (let i = (l ^ h) & mask; ; i = (i + 1) & mask) {
      const sh = slots[2 * i]!;
      const sl = slots[2 * i + 1]!;
      if (sh === 0 && sl === 0) return 2 * i;
      if (sh === h && sl === l) return -1;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0 && old[i + 1] === 0) continue;
      const at = this.slotOf(old[i]!, old[i + 1]!);
      this.slots[at] = old[i]!;
      this.slots[at + 1] = old[i + 1]!;
    }
  }
}

const scratch = new Uint32Array(2);

/**
 * Two 32-bit multiply-xorshift hashes of the UTF-16 code units with independent seeds and a final avalanche
 * (the construction of bryc's public-domain cyrb53, kept at 64 bits), into `scratch`. Never (0, 0).
 */
function fingerprint(id: string): void {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  scratch[0] = h1 >>> 0;
  scratch[1] = h2 >>> 0 || 1;
}
