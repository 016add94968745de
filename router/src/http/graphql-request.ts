import type { Request, Response } from 'express';
import type { SubscribePayload } from 'graphql-ws';
import { z } from 'zod';

const jsonObject = z.record(z.string(), z.unknown());

/** A GraphQL request as it comes over HTTP, whatever the transport of its answer. */
const graphqlRequest = z.object({
  query: z.string().min(1, 'The request has no query.'),
  variables: jsonObject.nullish(),
  operationName: z.string().nullish(),
  extensions: jsonObject.nullish(),
});

const fromSearchParams = (url: string): unknown => {
  const params = new URL(url, 'http://localhost').searchParams;
  const json = (name: string) => {
    const value = params.get(name);
    if (value === null) return undefined;
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  };
  return {
    query: params.get('query') ?? undefined,
    variables: json('variables'),
    operationName: params.get('operationName') ?? undefined,
    extensions: json('extensions'),
  };
};

/**
 * The GraphQL request of a GET's search parameters or a POST's JSON body, or
 * why it is not one.
 */
export const readGraphQLRequest = (
  req: Request,
): { request: SubscribePayload } | { problem: string } => {
  const parsed = graphqlRequest.safeParse(
    req.method === 'GET' ? fromSearchParams(req.originalUrl) : req.body,
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      problem: `Not a GraphQL request: ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    };
  }
  const { query, variables, operationName, extensions } = parsed.data;
  return {
    request: {
      query,
      ...(variables ? { variables } : {}),
      ...(operationName ? { operationName } : {}),
      ...(extensions ? { extensions } : {}),
    },
  };
};

/** Answers with one GraphQL error in the JSON shape every GraphQL client reads. */
export const sendGraphQLError = (
  res: Response,
  status: number,
  message: string,
  code: string,
  headers: Readonly<Record<string, string>> = {},
): void => {
  res
    .status(status)
    .set(headers)
    .json({ errors: [{ message, extensions: { code } }] });
};

/** Answers a request whose bearer token was refused (RFC 6750), before anything streams. */
export const sendUnauthenticated = (res: Response, error: unknown): void =>
  sendGraphQLError(res, 401, (error as Error).message, 'UNAUTHENTICATED', {
    'www-authenticate': 'Bearer error="invalid_token"',
  });
