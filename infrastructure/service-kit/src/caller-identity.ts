/** Who is calling, as verified by the router from the caller's JWT. */
export interface Caller {
  readonly userId: string;
  readonly roles: readonly string[];
  readonly permissions: readonly string[];
}
