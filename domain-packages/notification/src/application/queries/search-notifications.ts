import type { SearchIndex } from '@simple-securities/event-sourcing';
import { DomainError, type Page, type PageRequest } from '@simple-securities/shared-kernel';
import type { Notification } from '../../domain/notification.js';
import type { NotificationReadModel } from '../ports/notification-repository.js';
import { checkPageSize } from './page-size.js';

export const SEARCH_QUERY_MAX_LENGTH = 200;

/** Search results are ranked, not sorted by a key, so a cursor is the rank it continues after. */
const encodeCursor = (rank: number) => btoa(`rank:${rank}`);

const decodeCursor = (cursor: string): number => {
  let decoded = '';
  try {
    decoded = atob(cursor);
  } catch {
    // not base64: reported below like any other cursor we did not give out
  }
  const match = /^rank:(\d{1,9})$/.exec(decoded);
  if (!match?.[1]) throw new DomainError('BAD_USER_INPUT', 'The "after" cursor is not valid.');
  return Number(match[1]);
};

/**
 * The user's own notifications that match `text` (words, "phrases", -not, or), best
 * match first. Only the user's documents are searched: another user's never rank.
 */
export const searchNotifications =
  (deps: { search: SearchIndex; readModel: NotificationReadModel }) =>
  async (userId: string, text: string, page: PageRequest): Promise<Page<Notification>> => {
    checkPageSize(page.first);
    const query = text.trim();
    if (!query || query.length > SEARCH_QUERY_MAX_LENGTH) {
      throw new DomainError(
        'BAD_USER_INPUT',
        `A search needs 1 to ${SEARCH_QUERY_MAX_LENGTH} characters.`,
        { field: 'query' },
      );
    }
    const offset = page.after ? decodeCursor(page.after) : 0;
    const hits = await deps.search.search(query, {
      filter: { userId },
      limit: page.first + 1,
      offset,
    });
    const shown = hits.slice(0, page.first);
    const found = new Map(
      (
        await deps.readModel.findForUser(
          userId,
          shown.map((hit) => hit.id),
        )
      ).map((n) => [n.id, n]),
    );
    const items = shown.flatMap((hit, index) => {
      const node = found.get(hit.id);
      return node ? [{ node, cursor: encodeCursor(offset + index + 1) }] : [];
    });
    return { items, hasNextPage: hits.length > page.first };
  };
