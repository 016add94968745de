import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { openGraphiQL, type GraphiQLPage } from './support/graphiql-page.js';
import { startTestGraph, type TestGraph } from './support/test-graph.js';

/**
 * GraphiQL in a real browser: it must load from the router alone (no CDN),
 * run a query across subgraphs, and send the headers typed into its editor.
 */
describe('GraphiQL in Chromium', () => {
  let graph: TestGraph;
  let graphiql: GraphiQLPage;

  beforeAll(async () => {
    graph = await startTestGraph();
    graphiql = await openGraphiQL(graph.router.url);
  });

  afterAll(async () => {
    await graphiql?.close();
    await graph?.stop();
  });

  it('runs a query across subgraphs and shows the result', async () => {
    await graphiql.run('{ user(id: "u1") { name notes } }');
    const result = await graphiql.resultShowing('sell AAPL');
    expect(result).toContain('"sell AAPL"');
    expect(result).toContain('"name": "Ada"');
  });

  it('sends the Authorization header typed into the headers editor', async () => {
    const token = await graph.tokenFor('u2');
    await graphiql.setHeaders({ Authorization: `Bearer ${token}` });
    await graphiql.run('{ whoAmI }');
    expect(await graphiql.resultShowing('"u2"')).toContain('"whoAmI": "u2"');
  });

  it('loaded everything from the router, without errors', () => {
    expect(graphiql.foreignRequests).toEqual([]);
    expect(graphiql.pageErrors).toEqual([]);
  });
});
