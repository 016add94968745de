import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Runs `npm start`'s entry point as `npm start` does; it must stop before opening anything.
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

const start = (env: Record<string, string>) => {
  const secretsAndModes = new Set([
    'NODE_ENV',
    'JWT_SECRET',
    'INTERNAL_SERVICE_TOKEN',
    'SEED_DEMO_DATA',
  ]);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !secretsAndModes.has(name)),
  );
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', join(repoRoot, 'tools/src/start/main.ts')],
    {
      cwd: repoRoot,
      env: { ...inherited, DATA_DIR: mkdtempSync(join(tmpdir(), 'start-')), PORT: '0', ...env },
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
};

describe('npm start with the public development secrets', () => {
  it('refuses to start under NODE_ENV=production, naming each secret', () => {
    const { code, output } = start({ NODE_ENV: 'production' });
    expect(code).not.toBe(0);
    expect(output).toContain('JWT_SECRET: is the public development default');
    expect(output).toContain('INTERNAL_SERVICE_TOKEN: is the public development default');
    expect(output).toContain('NODE_ENV=production');
  });

  it('refuses to start when demo seeding is off', () => {
    const { code, output } = start({ SEED_DEMO_DATA: 'false' });
    expect(code).not.toBe(0);
    expect(output).toContain('JWT_SECRET: is the public development default');
    expect(output).toContain('SEED_DEMO_DATA is off');
  });

  it('names only the secret still left at its default', () => {
    const { code, output } = start({
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-of-at-least-32-characters',
    });
    expect(code).not.toBe(0);
    expect(output).not.toContain('JWT_SECRET:');
    expect(output).toContain('INTERNAL_SERVICE_TOKEN: is the public development default');
  });
});
