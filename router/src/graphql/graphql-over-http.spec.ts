import { describe, expect, it } from '@jest/globals';
import { APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, responseMediaType } from './graphql-over-http.js';

describe('response media type', () => {
  it.each([
    [undefined, APPLICATION_JSON],
    ['', APPLICATION_JSON],
    ['*/*', APPLICATION_JSON],
    ['application/json', APPLICATION_JSON],
    ['application/graphql-response+json', GRAPHQL_RESPONSE_JSON],
    ['application/graphql-response+json, application/json;q=0.9', GRAPHQL_RESPONSE_JSON],
    ['application/json;q=0.9, application/graphql-response+json', GRAPHQL_RESPONSE_JSON],
    ['application/graphql-response+json;q=0.5, application/json', APPLICATION_JSON],
    ['application/*', APPLICATION_JSON],
    ['text/html, */*;q=0.1', APPLICATION_JSON],
    ['text/csv', undefined],
    ['application/json;q=0', undefined],
    ['constructor', undefined],
    ['__proto__', undefined],
  ])('answers Accept %p with %p', (accept, expected) => {
    expect(responseMediaType(accept)).toBe(expected);
  });
});
