/**
 * The published event a notification comes from. Its id becomes the notification's id,
 * so the same event delivered again is the same notification, given once.
 */
export interface SourceEvent<Data> {
  readonly id: string;
  readonly data: Data;
}
