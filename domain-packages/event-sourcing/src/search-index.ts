import type { JsonScalar } from './document-store.js';

export interface SearchDocument {
  id: string;
  /** Text fields by importance: `title` ranks above `body`. */
  title?: string;
  body?: string;
  /** Exact-match attributes for narrowing results, e.g. `{ userId }`. */
  attributes?: Readonly<Record<string, JsonScalar>>;
}

export interface SearchHit {
  id: string;
  score: number;
}

export interface SearchOptions {
  limit?: number;
  offset?: number;
  filter?: Readonly<Record<string, JsonScalar>>;
}

/** Full-text search over projected documents. `query` is web-search syntax: words, "phrases", -not, or. */
export interface SearchIndex<Tx = unknown> {
  readonly name: string;
  in(tx: Tx): SearchIndex<Tx>;
  index(document: SearchDocument): Promise<void>;
  remove(id: string): Promise<void>;
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>;
  clear(): Promise<void>;
}
