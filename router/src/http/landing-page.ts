import { escapeHtml } from './html.js';

const SANDBOX = 'https://studio.apollographql.com/sandbox/explorer';

export const sandboxUrl = (graphqlUrl: string) =>
  `${SANDBOX}?endpoint=${encodeURIComponent(graphqlUrl)}`;

/**
 * Our own landing page, served instead of Apollo's (which loads Sandbox from a
 * CDN and is blank offline). The Sandbox link is recomputed in the browser so it
 * names the address the user actually reached the router at.
 */
export const landingPageHtml = (graphqlUrl: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Simple Securities GraphQL</title>
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; padding: 0 1rem; color: #1b1f24; }
  code { background: #f2f4f7; padding: 0.1rem 0.3rem; border-radius: 4px; }
  li { margin: 0.5rem 0; }
  a { color: #0b57d0; }
</style>
</head>
<body>
<h1>Simple Securities supergraph</h1>
<p>GraphQL endpoint: <code id="endpoint">${escapeHtml(graphqlUrl)}</code></p>
<ul>
  <li><a href="/graphiql">GraphiQL</a> — runs from this server, works offline.</li>
  <li><a id="sandbox" href="${escapeHtml(sandboxUrl(graphqlUrl))}">Apollo Sandbox</a> — hosted by Apollo, needs internet access.</li>
  <li><a href="/health">/health</a> (the router is alive) and <a href="/ready">/ready</a> (every subgraph answers).</li>
</ul>
<p>Operations that need a signed-in user take an access token from the <code>signIn</code> mutation,
sent as the header <code>Authorization: Bearer &lt;token&gt;</code> (GraphiQL: the <em>Headers</em> tab).</p>
<script>
  const endpoint = new URL('/graphql', location.href).href;
  document.getElementById('endpoint').textContent = endpoint;
  document.getElementById('sandbox').href = '${SANDBOX}?endpoint=' + encodeURIComponent(endpoint);
</script>
</body>
</html>
`;
