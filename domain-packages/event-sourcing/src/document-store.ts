/** A JSON value stored in a read model. */
export type JsonScalar = string | number | boolean | null;

export interface DocumentQuery {
  /** Every listed field (dot paths allowed: `owner.id`) must equal the value. */
  where?: Readonly<Record<string, JsonScalar>>;
  /** Sort on an indexed field; ties broken by id. Default: by id. */
  orderBy?: { field: string; direction?: 'asc' | 'desc' };
  limit?: number;
  offset?: number;
}

/**
 * One collection of read-model documents, keyed by id. Projections write through
 * `in(tx)` so a document and the projection's checkpoint commit together.
 */
export interface DocumentCollection<Doc, Tx = unknown> {
  readonly name: string;
  in(tx: Tx): DocumentCollection<Doc, Tx>;
  upsert(id: string, document: Doc): Promise<void>;
  get(id: string): Promise<Doc | undefined>;
  delete(id: string): Promise<void>;
  find(query?: DocumentQuery): Promise<Doc[]>;
  count(where?: DocumentQuery['where']): Promise<number>;
  /** Drops every document of the collection: the first step of a rebuild. */
  clear(): Promise<void>;
}

export interface CollectionOptions {
  /** Fields queried by order or range; the adapter builds an index for each. */
  indexes?: readonly string[];
}

export interface DocumentStore<Tx = unknown> {
  collection<Doc>(name: string, options?: CollectionOptions): Promise<DocumentCollection<Doc, Tx>>;
}
