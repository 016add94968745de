import { describe, expect, it } from '@jest/globals';
import { couldBeCrossSiteForgery } from './csrf-prevention.js';

describe('CSRF prevention', () => {
  it.each([
    [{}, true],
    [{ 'content-type': 'text/plain' }, true],
    [{ 'content-type': 'Text/Plain; charset=utf-8' }, true],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, true],
    [{ 'content-type': 'multipart/form-data; boundary=x' }, true],
    [{ 'apollo-require-preflight': '' }, true],
    [{ 'content-type': 'application/json' }, false],
    [{ 'content-type': 'application/graphql-response+json' }, false],
    [{ 'apollo-require-preflight': 'true' }, false],
    [{ 'content-type': 'text/plain', 'x-apollo-operation-name': 'Prices' }, false],
  ])('judges headers %p as a possible forgery: %p', (headers, forgery) => {
    expect(couldBeCrossSiteForgery(headers)).toBe(forgery);
  });
});
