import { createHash } from 'node:crypto';
import type {
  CollectionOptions,
  DocumentCollection,
  DocumentQuery,
  DocumentStore,
  JsonScalar,
} from '@simple-securities/event-sourcing';
import type { SqlExecutor } from '../sql-database.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

const checked = (pattern: RegExp, kind: string, value: string) => {
  if (!pattern.test(value)) throw new Error(`Invalid ${kind} name "${value}"`);
  return value;
};

/** `a.b` → the SQL literal `'{a,b}'`, safe to inline because FIELD allows no quotes. */
const pathLiteral = (field: string) => `'{${checked(FIELD, 'field', field).split('.').join(',')}}'`;

/** `{ 'owner.id': 'u1' }` → `{ owner: { id: 'u1' } }` for a containment (`@>`) match. */
const containment = (where: Readonly<Record<string, JsonScalar>>) => {
  const root: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(where)) {
    const keys = checked(FIELD, 'field', field).split('.');
    let node = root;
    keys.slice(0, -1).forEach((key) => (node = (node[key] ??= {}) as Record<string, unknown>));
    node[keys.at(-1) as string] = value;
  }
  return JSON.stringify(root);
};

class PostgresDocumentCollection<Doc> implements DocumentCollection<Doc, SqlExecutor> {
  constructor(
    readonly name: string,
    private readonly db: SqlExecutor,
  ) {}

  in(tx: SqlExecutor): DocumentCollection<Doc, SqlExecutor> {
    return new PostgresDocumentCollection<Doc>(this.name, tx);
  }

  async upsert(id: string, document: Doc): Promise<void> {
    await this.db.query(
      `INSERT INTO read_model_documents (collection, id, document) VALUES ($1, $2, $3)
       ON CONFLICT (collection, id) DO UPDATE SET document = EXCLUDED.document, updated_at = now()`,
      [this.name, id, JSON.stringify(document)],
    );
  }

  async get(id: string): Promise<Doc | undefined> {
    const { rows } = await this.db.query<{ document: Doc }>(
      'SELECT document FROM read_model_documents WHERE collection = $1 AND id = $2',
      [this.name, id],
    );
    return rows[0]?.document;
  }

  async delete(id: string): Promise<void> {
    await this.db.query('DELETE FROM read_model_documents WHERE collection = $1 AND id = $2', [
      this.name,
      id,
    ]);
  }

  async find(query: DocumentQuery = {}): Promise<Doc[]> {
    const order = query.orderBy
      ? `document #> ${pathLiteral(query.orderBy.field)} ${query.orderBy.direction === 'desc' ? 'DESC' : 'ASC'}, id`
      : 'id';
    const { rows } = await this.db.query<{ document: Doc }>(
      `SELECT document FROM read_model_documents
        WHERE collection = $1 AND document @> $2::jsonb
        ORDER BY ${order} LIMIT $3 OFFSET $4`,
      [this.name, containment(query.where ?? {}), query.limit ?? null, query.offset ?? 0],
    );
    return rows.map((row) => row.document);
  }

  async count(where: DocumentQuery['where'] = {}): Promise<number> {
    const { rows } = await this.db.query<{ count: unknown }>(
      `SELECT count(*) AS count FROM read_model_documents WHERE collection = $1 AND document @> $2::jsonb`,
      [this.name, containment(where)],
    );
    return Number(rows[0]?.count ?? 0);
  }

  async clear(): Promise<void> {
    await this.db.query('DELETE FROM read_model_documents WHERE collection = $1', [this.name]);
  }
}

/**
 * Read-model documents as JSONB rows. Equality filters use one GIN index for every
 * collection; each field named in `indexes` gets a partial B-tree for sorting.
 */
export class PostgresDocumentStore implements DocumentStore<SqlExecutor> {
  constructor(private readonly db: SqlExecutor) {}

  async collection<Doc>(
    name: string,
    options: CollectionOptions = {},
  ): Promise<DocumentCollection<Doc, SqlExecutor>> {
    checked(NAME, 'collection', name);
    for (const field of options.indexes ?? []) {
      const index = `rmd_${createHash('sha1').update(`${name}/${field}`).digest('hex').slice(0, 16)}`;
      await this.db.query(
        `CREATE INDEX IF NOT EXISTS ${index} ON read_model_documents ((document #> ${pathLiteral(field)}), id)
          WHERE collection = '${name}'`,
      );
    }
    return new PostgresDocumentCollection<Doc>(name, this.db);
  }
}
