import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { ESLint } from 'eslint';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

/** What `npm run lint` says about a file holding `source` at `file` (relative to the root). */
const violations = async (file: string, source: string) => {
  const [result] = await eslint.lintText(`${source}\nexport const planted = 1;\n`, {
    filePath: path.join(root, file),
  });
  return (result?.messages ?? [])
    .filter((message) => message.ruleId === 'no-restricted-imports')
    .map((message) => message.message);
};

describe('the layering check in npm run lint', () => {
  it('runs as part of npm run lint', async () => {
    const { scripts } = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.lint).toMatch(/\beslint \./);
  });

  it.each([
    [
      'a domain package importing infrastructure',
      'domain-packages/identity/src/planted.ts',
      "import { migrate } from '@simple-securities/postgres';",
      /never import infrastructure/,
    ],
    [
      'a domain package importing a subgraph',
      'domain-packages/market-data/src/planted.ts',
      "import { typeDefs } from '@simple-securities/crypto-subgraph';",
      /never import a subgraph/,
    ],
    [
      'a domain package importing the router',
      'domain-packages/wallets/src/planted.ts',
      "import { startRouter } from '@simple-securities/router';",
      /never import the router/,
    ],
    [
      "a domain package importing another context's domain",
      'domain-packages/identity/src/planted.ts',
      "import { STOCKS } from '@simple-securities/market-data';",
      /another context's domain/,
    ],
    [
      'a subgraph importing another by package name',
      'subgraphs/stock/src/planted.ts',
      "import { cryptoConfig } from '@simple-securities/crypto-subgraph';",
      /Subgraphs never import each other/,
    ],
    [
      'a subgraph importing another by relative path',
      'subgraphs/stock/src/planted.ts',
      "import { cryptoConfig } from '../../crypto/src/config.js';",
      /Subgraphs never import each other/,
    ],
    [
      'the router importing a subgraph',
      'router/src/planted.ts',
      "import { coreSubgraph } from '@simple-securities/core-subgraph';",
      /never import a subgraph/,
    ],
    [
      'infrastructure naming a context',
      'infrastructure/postgres/src/planted.ts',
      "import { STOCKS } from '@simple-securities/market-data';",
      /names none/,
    ],
  ])('fails on %s', async (_case, file, source, message) => {
    const found = await violations(file, source);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(message);
  });

  it.each([
    [
      'domain-packages/identity/src/planted.ts',
      "import { DomainError } from '@simple-securities/shared-kernel';",
    ],
    [
      'subgraphs/crypto/src/planted.ts',
      "import { startMarketData } from '@simple-securities/market-data-adapters';",
    ],
    ['subgraphs/crypto/src/planted.ts', "import { cryptoConfig } from './config.js';"],
    ['router/src/planted.ts', "import { createLogger } from '@simple-securities/service-kit';"],
  ])('lets %s import what its layer may use', async (file, source) => {
    expect(await violations(file, source)).toEqual([]);
  });
});
