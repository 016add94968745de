// The dependency rules of the tree, as ESLint `no-restricted-imports` blocks (one per
// folder, since a later block's options replace an earlier one's for the same file).
// `npm run lint` fails on a violation; tools/test/layering.test.ts plants some.
import { readdirSync } from 'node:fs';
import path from 'node:path';

const folders = (parent) =>
  readdirSync(path.join(import.meta.dirname, '../..', parent), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

/** Domain packages every context may use: the shared kernel, the event-sourcing ports, the published language. */
const SHARED_DOMAIN = ['shared-kernel', 'event-sourcing', 'contracts'];
const contexts = folders('domain-packages').filter((name) => !SHARED_DOMAIN.includes(name));
const subgraphs = folders('subgraphs');

const rule = (message, group) => ({ group, message });

const INFRASTRUCTURE = rule('Domain packages never import infrastructure.', [
  'node:*',
  'pg',
  '@prisma/*',
  '@electric-sql/*',
  'graphql*',
  '@apollo/*',
  'kafkajs',
  '@grpc/*',
  'express',
  'pino*',
  '@simple-securities/postgres',
  '@simple-securities/postgres/*',
  '@simple-securities/service-kit',
  '@simple-securities/service-kit/*',
  '**/infrastructure/**',
]);
const ADAPTERS = (who) =>
  rule(`${who} never import a context's adapters.`, [
    '@simple-securities/*-adapters',
    '@simple-securities/*-adapters/*',
    '**/adapters/*/src/**',
  ]);
const SUBGRAPHS = (who) =>
  rule(`${who} never import a subgraph: each subgraph is its own deployable service.`, [
    '@simple-securities/*-subgraph',
    '@simple-securities/*-subgraph/*',
    '**/subgraphs/**',
  ]);
const ROUTER = (who) =>
  rule(`${who} never import the router.`, [
    '@simple-securities/router',
    '@simple-securities/router/*',
    '**/router/src/**',
  ]);
const TOOLS = (who) =>
  rule(`${who} never import the tools.`, [
    '@simple-securities/tools',
    '@simple-securities/tools/*',
  ]);
const OTHER_CONTEXTS = (context, who) =>
  rule(
    `${who} never import another context's domain: contexts talk through integration events (@simple-securities/contracts).`,
    contexts
      .filter((other) => other !== context)
      .flatMap((other) => [`@simple-securities/${other}`, `@simple-securities/${other}/*`]),
  );
const ANY_CONTEXT = rule(
  'Infrastructure serves every context and names none: a context-specific adapter belongs to that context.',
  contexts.flatMap((name) => [`@simple-securities/${name}`, `@simple-securities/${name}/*`]),
);

const block = (files, patterns) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: patterns.filter((p) => p.group.length) }],
  },
});

export const layering = [
  block(
    ['domain-packages/**/*.ts'],
    [
      INFRASTRUCTURE,
      ADAPTERS('Domain packages'),
      SUBGRAPHS('Domain packages'),
      ROUTER('Domain packages'),
      TOOLS('Domain packages'),
    ],
  ),
  ...contexts.map((context) =>
    block(
      [`domain-packages/${context}/**/*.ts`],
      [
        INFRASTRUCTURE,
        ADAPTERS('Domain packages'),
        SUBGRAPHS('Domain packages'),
        ROUTER('Domain packages'),
        TOOLS('Domain packages'),
        OTHER_CONTEXTS(context, 'A domain package'),
      ],
    ),
  ),
  block(
    ['infrastructure/**/*.ts'],
    [
      ANY_CONTEXT,
      ADAPTERS('Infrastructure'),
      SUBGRAPHS('Infrastructure'),
      ROUTER('Infrastructure'),
      TOOLS('Infrastructure'),
    ],
  ),
  block(
    ['adapters/**/*.ts'],
    [SUBGRAPHS('Context adapters'), ROUTER('Context adapters'), TOOLS('Context adapters')],
  ),
  ...subgraphs.map((subgraph) =>
    block(
      [`subgraphs/${subgraph}/**/*.ts`],
      [
        rule(
          'Subgraphs never import each other: each is its own deployable service, and contexts talk through integration events.',
          [
            '@simple-securities/*-subgraph',
            '@simple-securities/*-subgraph/*',
            ...subgraphs
              .filter((other) => other !== subgraph)
              .flatMap((other) => [`**/subgraphs/${other}/**`, `**/${other}/src/**`]),
          ],
        ),
        ROUTER('Subgraphs'),
        TOOLS('Subgraphs'),
      ],
    ),
  ),
  block(
    ['router/**/*.ts'],
    [
      SUBGRAPHS('The router'),
      ADAPTERS('The router'),
      rule('The router knows the supergraph, not the contexts behind it.', ANY_CONTEXT.group),
      TOOLS('The router'),
    ],
  ),
];
