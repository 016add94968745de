import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { openGraphiQL, type GraphiQLPage } from '../support/graphiql-page.js';
import { startSubscriptionGraph, type SubscriptionGraph } from './subscription-graph.js';

/**
 * A subscription run from GraphiQL in a real browser: over graphql-ws to the
 * router, signed in with the token from the Headers tab, with a field of
 * another subgraph resolved for every event.
 */
describe('GraphiQL in Chromium, subscribing', () => {
  let graph: SubscriptionGraph;
  let graphiql: GraphiQLPage;

  beforeAll(async () => {
    graph = await startSubscriptionGraph();
    graphiql = await openGraphiQL(graph.router.url);
  });

  afterAll(async () => {
    await graphiql?.close();
    await graph?.stop();
  });

  it('shows live events across subgraphs as the caller typed into the Headers tab', async () => {
    await graphiql.setHeaders({ Authorization: `Bearer ${await graph.tokenFor('carol')}` });
    await graphiql.run(
      'subscription { myTicks(symbols: ["Z"], intervalMs: 100) { symbol seq subscriber instrument { name } } }',
    );
    const first = await graphiql.resultShowing('Z Corp');
    expect(first).toContain('"subscriber": "carol"');
    expect(first).toContain('"name": "Z Corp"');

    const seqOf = (text: string) => Number(/"seq": (\d+)/.exec(text)?.[1]);
    const later = await graphiql.resultShowing(`"seq": ${seqOf(first) + 3}`);
    expect(seqOf(later)).toBeGreaterThanOrEqual(seqOf(first) + 3);
  });

  it('signs the next subscription in as whoever the Headers tab names now', async () => {
    await graphiql.page.click('.graphiql-execute-button'); // stops the running subscription
    await graphiql.setHeaders({ Authorization: `Bearer ${await graph.tokenFor('dave')}` });
    await graphiql.run(
      'subscription { myTicks(symbols: ["Z"], intervalMs: 100) { symbol subscriber } }',
    );
    expect(await graphiql.resultShowing('"dave"')).toContain('"subscriber": "dave"');
  });

  it('loaded everything from the router, without errors', () => {
    expect(graphiql.foreignRequests).toEqual([]);
    expect(graphiql.pageErrors).toEqual([]);
  });
});
