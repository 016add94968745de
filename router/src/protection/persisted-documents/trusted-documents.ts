import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

/** The id of a document: the SHA-256 of its text, in lowercase hex (what APQ sends). */
export const documentHash = (text: string): string =>
  createHash('sha256').update(text).digest('hex');

/**
 * The manifest format Apollo's tooling writes (`generate-persisted-query-manifest`),
 * so clients built with it need nothing else: each operation's id is the SHA-256
 * of its body.
 */
const manifestSchema = z.object({
  format: z.literal('apollo-persisted-query-manifest'),
  version: z.literal(1),
  operations: z.array(
    z.object({
      id: z.string().regex(/^[0-9a-f]{64}$/, 'is not a lowercase hex SHA-256'),
      name: z.string().optional(),
      type: z.enum(['query', 'mutation', 'subscription']).optional(),
      body: z.string().min(1),
    }),
  ),
});

/** The operations clients may run when documents are enforced, by id. */
export type TrustedDocuments = ReadonlyMap<string, string>;

/**
 * Reads a manifest and checks every id against its body: a manifest whose ids
 * and texts disagree would let a client run something other than what was
 * reviewed, so the router refuses to start with it.
 */
export const loadTrustedDocuments = async (path: string): Promise<TrustedDocuments> => {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the trusted documents at ${path}: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const problem = parsed.error.issues[0];
    throw new Error(
      `${path} is not an Apollo persisted query manifest: ${problem?.path.join('.') ?? ''} ${problem?.message ?? ''}`,
    );
  }
  const documents = new Map<string, string>();
  for (const { id, name, body } of parsed.data.operations) {
    if (documentHash(body) !== id) {
      throw new Error(
        `${path}: the id of operation ${name ?? id} is not the SHA-256 of its body; regenerate the manifest.`,
      );
    }
    documents.set(id, body);
  }
  return documents;
};
