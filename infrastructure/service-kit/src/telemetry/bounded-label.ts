/** What a label value becomes once its limit of distinct values is reached. */
export const OTHER = 'other';
const MAX_LENGTH = 100;

/**
 * Label values taken from requests (operation names, error codes), kept to a
 * bounded set: the first `limit` distinct values are kept as they are (cut to
 * 100 characters), every later one is counted as `other`. A client inventing
 * a new operation name per request therefore cannot grow the metrics without
 * bound.
 */
export class BoundedLabel {
  private readonly seen = new Set<string>();

  constructor(private readonly limit: number) {}

  of(value: string): string {
    const label = value.length > MAX_LENGTH ? value.slice(0, MAX_LENGTH) : value;
    if (this.seen.has(label)) return label;
    if (this.seen.size >= this.limit) return OTHER;
    this.seen.add(label);
    return label;
  }
}
