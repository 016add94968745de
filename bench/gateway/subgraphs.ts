import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/index.js';
import {
  execute,
  parse,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type GraphQLError,
} from 'graphql';

/**
 * The gateways-benchmark shape: accounts, inventory, products and reviews, with
 * `@requires`, `@provides` and entities in every direction. Small fixed data so
 * the gateway, not the subgraphs, is what a run measures.
 */
const FEDERATION = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires", "@provides", "@shareable"])`;

interface User {
  id: string;
  name: string;
  username: string;
}
interface Product {
  upc: string;
  name: string;
  price: number;
  weight: number;
}
interface Review {
  id: string;
  body: string;
  authorId: string;
  upc: string;
}

const users: User[] = Array.from({ length: 5 }, (_, i) => ({
  id: String(i + 1),
  name: `User ${i + 1}`,
  username: `@user${i + 1}`,
}));
const products: Product[] = Array.from({ length: 5 }, (_, i) => ({
  upc: String(i + 1),
  name: `Product ${i + 1}`,
  price: 100 * (i + 1) + 99,
  weight: 50 * (i + 1),
}));
const BODY =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';
const reviews: Review[] = Array.from({ length: 10 }, (_, i) => ({
  id: String(i + 1),
  body: `${BODY} (${i + 1})`,
  authorId: String((i % users.length) + 1),
  upc: String(((i * 3) % products.length) + 1),
}));
const userById = new Map(users.map((user) => [user.id, user]));
const productByUpc = new Map(products.map((product) => [product.upc, product]));

interface SubgraphDefinition {
  readonly typeDefs: string;
  readonly resolvers: GraphQLResolverMap<unknown>;
}

export const subgraphDefinitions: Record<string, SubgraphDefinition> = {
  accounts: {
    typeDefs: `${FEDERATION}
      type Query { me: User  user(id: ID!): User  users: [User] }
      type User @key(fields: "id") { id: ID!  name: String  username: String @shareable }`,
    resolvers: {
      Query: {
        me: () => users[0],
        user: (_: unknown, { id }: { id: string }) => userById.get(id),
        users: () => users,
      },
      User: { __resolveReference: ({ id }: { id: string }) => userById.get(id) },
    },
  },
  inventory: {
    typeDefs: `${FEDERATION}
      type Product @key(fields: "upc") {
        upc: String!
        weight: Int @external
        price: Int @external
        inStock: Boolean
        shippingEstimate: Int @requires(fields: "price weight")
      }`,
    resolvers: {
      Product: {
        __resolveReference: (reference: { upc: string }) => reference,
        inStock: ({ upc }: { upc: string }) => Number(upc) % 2 === 1,
        // Free for expensive items, otherwise by weight.
        shippingEstimate: ({ price, weight }: { price: number; weight: number }) =>
          price > 1000 ? 0 : Math.round(weight * 0.5),
      },
    },
  },
  products: {
    typeDefs: `${FEDERATION}
      type Query { topProducts(first: Int = 5): [Product] }
      type Product @key(fields: "upc") { upc: String!  name: String  price: Int  weight: Int }`,
    resolvers: {
      Query: {
        topProducts: (_: unknown, { first }: { first: number }) => products.slice(0, first),
      },
      Product: { __resolveReference: ({ upc }: { upc: string }) => productByUpc.get(upc) },
    },
  },
  reviews: {
    typeDefs: `${FEDERATION}
      type Review @key(fields: "id") {
        id: ID!
        body: String
        author: User @provides(fields: "username")
        product: Product
      }
      type User @key(fields: "id") { id: ID!  username: String @external  reviews: [Review] }
      type Product @key(fields: "upc") { upc: String!  reviews: [Review] }`,
    resolvers: {
      Review: {
        author: ({ authorId }: Review) => userById.get(authorId),
        product: ({ upc }: Review) => ({ upc }),
      },
      User: { reviews: ({ id }: { id: string }) => reviews.filter((r) => r.authorId === id) },
      Product: { reviews: ({ upc }: { upc: string }) => reviews.filter((r) => r.upc === upc) },
    },
  },
};

/** The benchmark's nested query: users and top products, their reviews, authors and products. */
export const TEST_QUERY = /* GraphQL */ `
  fragment User on User {
    id
    username
    name
  }
  fragment Review on Review {
    id
    body
  }
  fragment Product on Product {
    inStock
    name
    price
    shippingEstimate
    upc
    weight
  }
  query TestQuery {
    users {
      ...User
      reviews {
        ...Review
        product {
          ...Product
          reviews {
            ...Review
            author {
              ...User
              reviews {
                ...Review
                product {
                  ...Product
                }
              }
            }
          }
        }
      }
    }
    topProducts {
      ...Product
      reviews {
        ...Review
        author {
          ...User
          reviews {
            ...Review
            product {
              ...Product
            }
          }
        }
      }
    }
  }
`;

export const composeBenchSupergraph = (urls: Record<string, string>): string => {
  const result = composeServices(
    Object.entries(subgraphDefinitions).map(([name, { typeDefs }]) => ({
      name,
      url: urls[name] ?? '',
      typeDefs: parse(typeDefs),
    })),
  );
  if (result.errors) throw new Error(result.errors.map((error) => error.message).join('\n'));
  return result.supergraphSdl;
};

/** One subgraph request as it reached the subgraph: recorded to replay the gateway's calls directly. */
export interface RecordedCall {
  readonly subgraph: string;
  readonly body: string;
  readonly receivedAt: number;
  readonly answeredAt: number;
}

/**
 * A bare HTTP server per subgraph: parse and validate once per document, then
 * execute; no framework, so the subgraphs cost as little as they can.
 */
const serveSubgraph = (
  name: string,
  schema: GraphQLSchema,
  record: (call: RecordedCall) => void,
) => {
  const documents = new Map<string, DocumentNode | readonly GraphQLError[]>();
  const documentOf = (query: string) => {
    let document = documents.get(query);
    if (!document) {
      const parsed = parse(query);
      const errors = validate(schema, parsed);
      document = errors.length > 0 ? errors : parsed;
      documents.set(query, document);
    }
    return document;
  };
  return http.createServer((req, res) => {
    const receivedAt = performance.now();
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const { query, variables, operationName } = JSON.parse(body) as {
        query: string;
        variables?: Record<string, unknown>;
        operationName?: string;
      };
      const document = documentOf(query);
      const result =
        'kind' in document
          ? await execute({ schema, document, variableValues: variables, operationName })
          : { errors: document };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(result));
      record({ subgraph: name, body, receivedAt, answeredAt: performance.now() });
    });
  });
};

/** Starts the four subgraphs on free ports; `record` sees every call they answer. */
export const startBenchSubgraphs = async (record: (call: RecordedCall) => void) => {
  const urls: Record<string, string> = {};
  const servers: http.Server[] = [];
  for (const [name, { typeDefs, resolvers }] of Object.entries(subgraphDefinitions)) {
    const schema = buildSubgraphSchema({ typeDefs: parse(typeDefs), resolvers });
    const server = serveSubgraph(name, schema, record);
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    urls[name] = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
    servers.push(server);
  }
  return { urls, supergraphSdl: composeBenchSupergraph(urls), servers };
};
