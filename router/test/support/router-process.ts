import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url));

export interface RouterProcess {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The router as `npm run start -w router` runs it, in a process of its own, on a
 * free port; `env` is its configuration. Resolves once it serves, with its URL.
 */
export const startRouterProcess = async (
  env: Readonly<Record<string, string>>,
): Promise<RouterProcess> => {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      output.push(line);
      const entry = (() => {
        try {
          return JSON.parse(line) as { url?: unknown; msg?: unknown };
        } catch {
          return {};
        }
      })();
      if (typeof entry.url === 'string' && String(entry.msg).startsWith('router is serving')) {
        resolve(entry.url);
      }
    });
    child.once('exit', (code) =>
      reject(
        new Error(`the router process exited (${code}) before serving:\n${output.join('\n')}`),
      ),
    );
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
};
