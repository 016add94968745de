import type {
  SearchDocument,
  SearchHit,
  SearchIndex,
  SearchOptions,
} from '@simple-securities/event-sourcing';
import type { SqlExecutor } from '../sql-database.js';

/** Full-text search with Postgres `tsvector` (English stemming, title weighted above body). */
export class PostgresSearchIndex implements SearchIndex<SqlExecutor> {
  constructor(
    readonly name: string,
    private readonly db: SqlExecutor,
  ) {}

  in(tx: SqlExecutor): SearchIndex<SqlExecutor> {
    return new PostgresSearchIndex(this.name, tx);
  }

  async index(document: SearchDocument): Promise<void> {
    await this.db.query(
      `INSERT INTO search_documents (index_name, id, title, body, attributes) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (index_name, id) DO UPDATE
         SET title = EXCLUDED.title, body = EXCLUDED.body, attributes = EXCLUDED.attributes`,
      [
        this.name,
        document.id,
        document.title ?? '',
        document.body ?? '',
        JSON.stringify(document.attributes ?? {}),
      ],
    );
  }

  async remove(id: string): Promise<void> {
    await this.db.query('DELETE FROM search_documents WHERE index_name = $1 AND id = $2', [
      this.name,
      id,
    ]);
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const { rows } = await this.db.query<{ id: string; score: number }>(
      `SELECT id, ts_rank(search, q) AS score
         FROM search_documents, websearch_to_tsquery('english', $2) AS q
        WHERE index_name = $1 AND search @@ q AND attributes @> $3::jsonb
        ORDER BY score DESC, id LIMIT $4 OFFSET $5`,
      [
        this.name,
        query,
        JSON.stringify(options.filter ?? {}),
        options.limit ?? 20,
        options.offset ?? 0,
      ],
    );
    return rows.map((row) => ({ id: row.id, score: Number(row.score) }));
  }

  async clear(): Promise<void> {
    await this.db.query('DELETE FROM search_documents WHERE index_name = $1', [this.name]);
  }
}
