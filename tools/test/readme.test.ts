import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import {
  createScratchDatabase,
  describeIfAvailable,
  postgresServerUnavailableReason,
} from '@simple-securities/postgres/testing';
import { routerConfig } from '@simple-securities/router';
import { ERROR_CODES } from '@simple-securities/shared-kernel';
import {
  port,
  portVariableOf,
  postgresUrl,
  serverConfig,
  tracingConfig,
} from '@simple-securities/service-kit';
import {
  checkReadme,
  type LaunchLine,
  launchLines,
  type ReadmeContext,
} from '../src/readme/check-readme.js';
import { launcherConfig } from '../src/start/config.js';
import { subgraphServices } from '../src/start/stack.js';

const root = path.resolve(import.meta.dirname, '../..');
const readme = await readFile(path.join(root, 'README.md'), 'utf8');

const packageScripts = (workspace: string | undefined) => {
  const file = path.join(root, workspace ?? '', 'package.json');
  if (!existsSync(file)) return undefined;
  return (JSON.parse(readFileSync(file, 'utf8')) as { scripts?: Record<string, string> }).scripts;
};

/** Every schema a process of the stack reads its environment with. */
const context: ReadmeContext = {
  configs: [
    launcherConfig,
    serverConfig,
    routerConfig,
    { DATABASE_URL: postgresUrl },
    tracingConfig,
    ...subgraphServices.map((service) => service.config),
    ...subgraphServices.map((service) => ({
      [portVariableOf(service)]: port(service.defaultPort),
    })),
  ],
  toolingVariables: {
    SCHEMA_BASE_REF: 'tools/src/schema/cli.ts',
    TEST_LOG_LEVEL: 'tests/support/running-stack.ts',
    CHROMIUM_PATH: 'router/test/support/chromium.ts',
    CI: 'infrastructure/postgres/src/testing/describe-if-available.ts',
  },
  errorCodes: ERROR_CODES,
  scriptsOf: packageScripts,
};

describe('README.md', () => {
  it('documents only variables the configuration accepts and scripts that exist', () => {
    expect(checkReadme(readme, context)).toEqual([]);
  });

  it('names only tooling variables that the named file reads', () => {
    for (const [name, file] of Object.entries(context.toolingVariables))
      expect(readFileSync(path.join(root, file), 'utf8')).toContain(name);
  });
});

describe('the README check itself', () => {
  it('fails on a variable documented without support', () => {
    const problems = checkReadme(`${readme}\nSet \`PRICE_FEED_REGION=eu\` to …\n`, context);
    expect(problems).toEqual([
      '`PRICE_FEED_REGION` is documented, but no configuration schema reads it.',
    ]);
  });

  it('fails when a documented value is refused, as PRICE_FEED=binance once was', () => {
    // The stock context's old definition, read first: it accepted only the simulator.
    const stockOnlySimulates = { PRICE_FEED: z.literal('simulator').default('simulator') };
    const problems = checkReadme(readme, {
      ...context,
      configs: [stockOnlySimulates, ...context.configs],
    });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^`PRICE_FEED=binance` is documented, but the configuration refuses it/,
    );
  });

  it('fails when a documented variable loses its support', () => {
    const withoutRetention = context.configs.map((shape) =>
      Object.fromEntries(
        Object.entries(shape).filter(([name]) => name !== 'KLINE_1S_RETENTION_MINUTES'),
      ),
    );
    expect(checkReadme(readme, { ...context, configs: withoutRetention })).toEqual([
      '`KLINE_1S_RETENTION_MINUTES` is documented, but no configuration schema reads it.',
    ]);
  });

  it('fails when a documented script is removed', () => {
    const problems = checkReadme(readme, {
      ...context,
      scriptsOf: (workspace) => {
        const scripts = { ...packageScripts(workspace) };
        if (!workspace) delete scripts['dead-letters'];
        return scripts;
      },
    });
    expect(problems).toEqual([
      '`npm run dead-letters` is documented, but the root package has no "dead-letters" script.',
    ]);
  });

  it('reads every launch line of the Modes table', () => {
    const lines = launchLines(readme, (name) => packageScripts(name) !== undefined);
    expect(lines.map((line) => `${line.mode}: ${line.command}`)).toEqual([
      'embedded (default): npm start',
      'postgres: npm start',
      'one service alone: npm run start -w subgraphs/core',
      'one service alone: npm run start -w subgraphs/crypto',
      'one service alone: npm run start -w subgraphs/stock',
      'one service alone: npm run start -w subgraphs/notification',
      'one service alone: npm run start -w router',
      'containers: docker compose up --build',
    ]);
  });
});

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: free } = server.address() as { port: number };
      server.close(() => resolve(free));
    });
  });

interface Launched {
  readonly child: ChildProcess;
  output: string;
}

const launch = (command: string, env: Record<string, string>): Launched => {
  // Its own process group, so stopping it stops npm and the node process it runs.
  const child = spawn('sh', ['-c', command], {
    cwd: root,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const launched: Launched = { child, output: '' };
  const keep = (chunk: Buffer) => {
    launched.output = (launched.output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return launched;
};

const stop = async ({ child }: Launched) => {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid, 'SIGTERM');
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
};

/** Polls `/ready` until it answers 200; fails early when a process exits. */
const waitForReady = async (url: string, processes: readonly Launched[]) => {
  const deadline = Date.now() + 150_000;
  for (;;) {
    const exited = processes.find(({ child }) => child.exitCode !== null);
    if (exited)
      throw new Error(`exited with ${exited.child.exitCode} before ready:\n${exited.output}`);
    const status = await fetch(url).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(`not ready in time:\n${processes.map((p) => p.output).join('\n---\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
};

const byMode = new Map<string, LaunchLine[]>();
for (const line of launchLines(readme, (name) => packageScripts(name) !== undefined))
  byMode.set(line.mode, [...(byMode.get(line.mode) ?? []), line]);
// What the README says about prices, on a machine that cannot reach Binance: the
// stream URL is a local port nobody listens on, so this holds with internet access too.
const unreachableStream = `ws://127.0.0.1:${await freePort()}`;
byMode.set('embedded with PRICE_FEED=binance offline', [
  {
    mode: 'embedded with PRICE_FEED=binance offline',
    variables: { PRICE_FEED: 'binance', BINANCE_WS_URL: unreachableStream },
    command: 'npm start',
  },
]);

const dockerMissing =
  spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0
    ? undefined
    : 'no Docker engine on this machine';
const serverMissing = await postgresServerUnavailableReason();

describe('every launch line of the README Modes table starts the stack to /ready', () => {
  for (const [mode, lines] of byMode) {
    const needsServer = lines.some((line) => 'DATABASE_URL' in line.variables);
    const usesDocker = lines.some((line) => line.command.startsWith('docker'));
    const title = `${mode}: ${lines.map((line) => line.command).join(' + ')}`;
    // No Docker engine runs on our machines, CI's included: that mode is documented, not proven.
    if (usesDocker && dockerMissing) {
      it.skip(`${title} (skipped: ${dockerMissing})`, () => undefined);
      continue;
    }
    describeIfAvailable(needsServer ? serverMissing : undefined, title, () =>
      it('reaches /ready', async () => {
        // The quick variant: free ports, a fresh data folder or database, quiet logs.
        const ports = Object.fromEntries(
          await Promise.all(
            ['PORT', ...subgraphServices.map(portVariableOf)].map(
              async (name) => [name, String(await freePort())] as const,
            ),
          ),
        );
        const subgraphUrls = Object.fromEntries(
          subgraphServices.map((service) => [
            `${service.name.toUpperCase()}_URL`,
            `http://127.0.0.1:${ports[portVariableOf(service)]}/graphql`,
          ]),
        );
        // The internal gRPC services too, so a launch never collides with a stack already running here.
        const grpcPorts = {
          FUNDS_GRPC_PORT: String(await freePort()),
          NOTIFICATION_GRPC_PORT: String(await freePort()),
        };
        const grpcAddresses = { FUNDS_GRPC_ADDRESS: `127.0.0.1:${grpcPorts.FUNDS_GRPC_PORT}` };
        const dataDir = await mkdtemp(path.join(os.tmpdir(), 'readme-mode-'));
        const database = needsServer ? await createScratchDatabase() : undefined;
        const processes: Launched[] = [];
        try {
          for (const line of lines) {
            processes.push(
              launch(line.command, {
                ...ports,
                ...subgraphUrls,
                ...grpcPorts,
                ...grpcAddresses,
                DATA_DIR: dataDir,
                LOG_LEVEL: 'warn',
                ...line.variables,
                ...(database ? { DATABASE_URL: database.url } : {}),
              }),
            );
          }
          await waitForReady(`http://127.0.0.1:${ports.PORT}/ready`, processes);
          if (lines.some((line) => line.variables.BINANCE_WS_URL === unreachableStream)) {
            const logged = () =>
              processes.some(({ output }) => /Binance stream unreachable.*retrying/.test(output));
            for (let tries = 0; !logged() && tries < 60; tries++)
              await new Promise((resolve) => setTimeout(resolve, 500));
            expect(logged()).toBe(true);
          }
        } finally {
          await Promise.all(processes.map(stop));
          await database?.drop();
          // npm can exit before the stack it started has closed its embedded database,
          // which may still write there for a moment: retry instead of failing the mode.
          await rm(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
        }
      }, 240_000),
    );
  }
});
