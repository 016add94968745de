import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express from 'express';

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** GraphiQL and its React runtime, served from node_modules so the IDE works offline. */
const ASSETS: Record<string, string> = {
  'react.js': join(packageDir('react'), 'umd/react.production.min.js'),
  'react-dom.js': join(packageDir('react-dom'), 'umd/react-dom.production.min.js'),
  'graphiql.js': join(packageDir('graphiql'), 'graphiql.min.js'),
  'graphiql.css': join(packageDir('graphiql'), 'graphiql.min.css'),
  'graphql-ws.js': join(packageDir('graphql-ws'), 'umd/graphql-ws.min.js'),
};

const DEFAULT_QUERY = `# Welcome to the Simple Securities supergraph.
#
# Operations for a signed-in user need an access token: open "Headers" below
# and add {"Authorization": "Bearer <token from the signIn mutation>"}.
# Run with Ctrl-Enter (Cmd-Enter on a Mac).

{
  __typename
}
`;

const page = (graphqlPath: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>GraphiQL · Simple Securities</title>
<style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
<link rel="stylesheet" href="/graphiql/assets/graphiql.css">
<script src="/graphiql/assets/react.js"></script>
<script src="/graphiql/assets/react-dom.js"></script>
<script src="/graphiql/assets/graphiql.js"></script>
<script src="/graphiql/assets/graphql-ws.js"></script>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script>
  const url = new URL(${JSON.stringify(graphqlPath)}, location.href);
  const wsUrl = url.href.replace(/^http/, 'ws');
  // A socket authenticates once, when it opens, so each Authorization typed into
  // the Headers tab gets its own lazily opened socket; HTTP sends the headers as typed.
  const fetchers = new Map();
  const fetcherFor = (authorization) => {
    if (!fetchers.has(authorization)) {
      const connectionParams = authorization ? { authorization } : {};
      fetchers.set(authorization, GraphiQL.createFetcher({
        url: url.href,
        wsClient: graphqlWs.createClient({ url: wsUrl, lazy: true, connectionParams }),
      }));
    }
    return fetchers.get(authorization);
  };
  const fetcher = (params, options) => {
    const headers = (options && options.headers) || {};
    return fetcherFor(headers.Authorization || headers.authorization || '')(params, options);
  };
  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher,
      defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
    }),
  );
</script>
</body>
</html>
`;

export const graphiqlRoutes = (graphqlPath: string) => {
  const routes = express.Router();
  const html = page(graphqlPath);
  routes.get('/graphiql', (_req, res) => {
    res.type('html').send(html);
  });
  routes.get('/graphiql/assets/:file', (req, res, next) => {
    const file = ASSETS[req.params.file];
    if (!file) return next();
    res.sendFile(file, { maxAge: '1d' });
  });
  return routes;
};
