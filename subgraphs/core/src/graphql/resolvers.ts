import {
  type AuthResult,
  type UserProfile,
  type createGetCurrentUser,
  type createGetUser,
  type createSignIn,
  type createSignUp,
  profileOf,
} from '@simple-securities/identity';
import {
  DateTimeScalar,
  type GraphQLResolverMap,
  parseInput,
  type RequestContext,
  requireCaller,
} from '@simple-securities/service-kit';
import { z } from 'zod';

export interface IdentityUseCases {
  readonly signUp: ReturnType<typeof createSignUp>;
  readonly signIn: ReturnType<typeof createSignIn>;
  readonly getCurrentUser: ReturnType<typeof createGetCurrentUser>;
  readonly getUser: ReturnType<typeof createGetUser>;
}

// Generous bounds that only stop oversized payloads before they reach the hasher; the
// domain's value objects give the precise rules and messages.
const tooLong = 'is too long';
const signUpInput = z.object({
  email: z.string().max(320, tooLong),
  password: z.string().max(1024, tooLong),
  displayName: z.string().max(400, tooLong),
});
const signInInput = signUpInput.omit({ displayName: true });

/** The signed-in user sees their whole profile in the payload. */
const payload = ({ token, expiresAt, user }: AuthResult) => ({
  token,
  expiresAt,
  user: profileOf(user, { userId: user.id, permissions: [] }),
});

export const identityResolvers = (
  useCases: IdentityUseCases,
): GraphQLResolverMap<RequestContext> => ({
  DateTime: DateTimeScalar,
  Query: {
    me: (_parent, _args, { caller }) => useCases.getCurrentUser(requireCaller(caller)),
  },
  Mutation: {
    signUp: async (_parent, { input }: { input: unknown }) =>
      payload(await useCases.signUp(parseInput(signUpInput, input))),
    signIn: async (_parent, { input }: { input: unknown }, { clientAddress }: RequestContext) =>
      payload(await useCases.signIn({ ...parseInput(signInInput, input), clientAddress })),
  },
  User: {
    __resolveReference: (reference: { id: string }, { caller }: RequestContext) =>
      useCases.getUser(reference.id, caller),
    email: (user: UserProfile) => user.email ?? null,
    roles: (user: UserProfile) => user.roles ?? null,
    permissions: (user: UserProfile) => user.permissions ?? null,
  },
});
