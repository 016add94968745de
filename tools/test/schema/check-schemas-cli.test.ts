import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs the real CLIs, as `npm run schema` / `npm run schema:check` do, against a throwaway git
// repository whose subgraphs are the fixtures.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(repoRoot, 'node_modules/.bin/tsx');
const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.ts`, import.meta.url));

interface Run {
  readonly code: number | null;
  readonly output: string;
}

function run(
  script: 'write-schemas' | 'check-schemas',
  cwd: string,
  args: string[],
  env = {},
): Run {
  // The caller's own SCHEMA_BASE_REF must not leak into the scenarios.
  const inherited = { ...process.env };
  delete inherited['SCHEMA_BASE_REF'];
  const result = spawnSync(tsx, [join(repoRoot, `tools/src/schema/${script}.ts`), ...args], {
    cwd,
    env: { ...inherited, ...env },
    encoding: 'utf8',
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

function git(cwd: string, ...args: string[]): void {
  const result = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
}

async function freshRepo(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'schema-check-'));
  git(dir, 'init', '--quiet', '--initial-branch=main');
  git(dir, 'config', 'user.email', 'schema-check@example.test');
  git(dir, 'config', 'user.name', 'Schema check');
  return dir;
}

function commitSchema(dir: string): void {
  git(dir, 'add', 'schema');
  git(dir, 'commit', '--quiet', '-m', 'schema');
}

describe('schema CLIs in a git repository', () => {
  const repos: string[] = [];
  const repo = async () => {
    const dir = await freshRepo();
    repos.push(dir);
    return dir;
  };
  afterAll(async () => {
    await Promise.all(repos.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  describe('against a base on origin/main', () => {
    let dir: string;
    beforeAll(async () => {
      dir = await repo();
      expect(run('write-schemas', dir, ['--subgraphs', fixture('shop')]).code).toBe(0);
      commitSchema(dir);
      // What a CI clone has: the main branch as a remote-tracking ref.
      git(dir, 'update-ref', 'refs/remotes/origin/main', 'HEAD');
    });

    it('passes a clean state', () => {
      const { code, output } = run('check-schemas', dir, ['--subgraphs', fixture('shop')]);
      expect(output).toContain('✔ The supergraph composes from 2 subgraph(s).');
      expect(output).toContain('✔ The committed files in schema/ match the subgraph code.');
      expect(output).toMatch(
        /✔ No breaking changes in the API schema against origin\/main \([0-9a-f]{12}\)/,
      );
      expect(output).toContain('✔ Schema check passed.');
      expect(code).toBe(0);
    });

    it('passes an added field and lists it as safe', () => {
      const subgraphs = ['--subgraphs', fixture('shop-with-description')];
      expect(run('write-schemas', dir, subgraphs).code).toBe(0);
      const { code, output } = run('check-schemas', dir, subgraphs);
      expect(output).toContain("Field 'description' was added to object type 'Product'");
      expect(code).toBe(0);
    });

    it('fails on a field removed since the base, naming the change', () => {
      const subgraphs = ['--subgraphs', fixture('shop-without-price')];
      expect(run('write-schemas', dir, subgraphs).code).toBe(0);
      const { code, output } = run('check-schemas', dir, subgraphs);
      expect(output).toMatch(/✖ 1 breaking change\(s\) in the API schema against origin\/main/);
      expect(output).toContain(
        "- Field 'price' was removed from object type 'Product'  [Product.price]",
      );
      expect(output).toContain('✖ Schema check failed.');
      expect(code).toBe(1);
    });

    it('takes the base from SCHEMA_BASE_REF, and --base over it', () => {
      const subgraphs = ['--subgraphs', fixture('shop-without-price')];
      git(dir, 'tag', 'v1', 'origin/main');
      const fromEnv = run('check-schemas', dir, subgraphs, { SCHEMA_BASE_REF: 'v1' });
      expect(fromEnv.output).toMatch(/breaking change\(s\) in the API schema against v1 /);
      expect(fromEnv.code).toBe(1);

      commitSchema(dir);
      const fromFlag = run('check-schemas', dir, [...subgraphs, '--base', 'HEAD'], {
        SCHEMA_BASE_REF: 'v1',
      });
      expect(fromFlag.output).toContain('✔ No breaking changes in the API schema against HEAD');
      expect(fromFlag.code).toBe(0);
    });

    it('fails when an explicitly requested base ref does not exist', () => {
      const { code, output } = run('check-schemas', dir, [
        '--subgraphs',
        fixture('shop-without-price'),
        '--base',
        'origin/release-9',
      ]);
      expect(output).toContain(
        '✖ Cannot check breaking changes: the ref "origin/release-9" does not exist',
      );
      expect(code).toBe(1);
    });

    it('fails on stale committed files and says how to fix them', () => {
      // The files on disk were written for shop-without-price; the code is now shop.
      const { code, output } = run('check-schemas', dir, ['--subgraphs', fixture('shop')]);
      expect(output).toContain(
        'schema/products.graphql: differs from what the subgraph code produces',
      );
      expect(output).toContain(
        'schema/supergraph.graphql: differs from what the subgraph code produces',
      );
      expect(output).not.toContain('schema/reviews.graphql');
      expect(output).toContain('Run `npm run schema` and commit the result.');
      expect(code).toBe(1);
    });
  });

  it('skips the breaking-change check, saying why, when there is no base ref', async () => {
    const dir = await repo();
    const subgraphs = ['--subgraphs', fixture('shop')];
    expect(run('write-schemas', dir, subgraphs).code).toBe(0);
    const { code, output } = run('check-schemas', dir, subgraphs);
    expect(output).toContain(
      'ℹ Breaking-change check skipped: the ref "origin/main" does not exist in this clone',
    );
    expect(code).toBe(0);
  });

  it('fails on a composition error, and writes nothing', async () => {
    const dir = await repo();
    const subgraphs = ['--subgraphs', fixture('shop-conflicting')];
    const write = run('write-schemas', dir, subgraphs);
    expect(write.code).toBe(1);
    await expect(readdir(join(dir, 'schema'))).rejects.toThrow(/ENOENT/);

    const { code, output } = run('check-schemas', dir, subgraphs);
    expect(output).toContain('✖ Supergraph composition failed with 2 error(s):');
    expect(output).toContain('FIELD_TYPE_MISMATCH (subgraphs: inventory, products)');
    expect(output).toContain(
      'Type of field "Product.price" is incompatible across subgraphs: it has type "Int!" in subgraph "inventory" but type "String!" in subgraph "products"',
    );
    expect(code).toBe(1);
  });

  it('accepts --cwd and --schema-dir instead of the working directory', async () => {
    const dir = await repo();
    const args = ['--cwd', dir, '--schema-dir', 'graphql', '--subgraphs', fixture('shop')];
    expect(run('write-schemas', repoRoot, args).code).toBe(0);
    expect((await readdir(join(dir, 'graphql'))).sort()).toEqual([
      'products.graphql',
      'reviews.graphql',
      'supergraph.graphql',
    ]);
    expect(run('check-schemas', repoRoot, args).code).toBe(0);
  });

  it('rejects an unknown flag with usage and exit code 2', () => {
    const { code, output } = run('check-schemas', repoRoot, ['--bogus']);
    expect(output).toContain("✖ Unknown option '--bogus'");
    expect(output).toContain('--base <ref>');
    expect(code).toBe(2);
  });
});
