/** Time, as the application sees it; tests pass a fixed clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** One page of a list that grows, read forward from an opaque cursor. */
export interface PageRequest {
  readonly first: number;
  readonly after?: string | undefined;
}

export interface Page<T> {
  readonly items: readonly { node: T; cursor: string }[];
  readonly hasNextPage: boolean;
}

export const MAX_PAGE_SIZE = 100;
