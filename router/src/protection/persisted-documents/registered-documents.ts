/**
 * Documents clients registered by automatic persisted queries, least recently
 * used dropped first once their texts pass `maxCharacters`: a client registering
 * endless distinct documents costs the router a bounded amount of memory.
 */
export class RegisteredDocuments {
  // A Map iterates in insertion order; a hit re-inserts, so the first key is the least recently used.
  private readonly texts = new Map<string, string>();
  private characters = 0;

  constructor(private readonly maxCharacters: number) {}

  get(hash: string): string | undefined {
    const text = this.texts.get(hash);
    if (text !== undefined) {
      this.texts.delete(hash);
      this.texts.set(hash, text);
    }
    return text;
  }

  register(hash: string, text: string): void {
    if (text.length > this.maxCharacters || this.texts.has(hash)) return;
    this.texts.set(hash, text);
    this.characters += text.length;
    for (const [oldest, oldText] of this.texts) {
      if (this.characters <= this.maxCharacters) break;
      this.texts.delete(oldest);
      this.characters -= oldText.length;
    }
  }

  get size(): number {
    return this.texts.size;
  }
}
