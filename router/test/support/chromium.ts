import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

/** What `playwright-core`'s `chromium.launch()` needs to start a browser. */
export interface ChromiumLaunch {
  readonly executablePath: string;
  readonly args: readonly string[];
  /** Where the browser came from, for error messages. */
  readonly source: string;
}

const SYSTEM_CHROMIUM = '/usr/bin/chromium';
const SYSTEM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The Chromium the browser tests drive (ADR 0006): `CHROMIUM_PATH` when set, else the
 * system's `/usr/bin/chromium`, else the headless build that ships inside the npm
 * package `@sparticuz/chromium`, so that `npm install` alone is enough.
 */
export const chromiumToLaunch = async (): Promise<ChromiumLaunch> => {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured))
      throw new Error(`CHROMIUM_PATH is ${configured}, but no file is there.`);
    return { executablePath: configured, args: SYSTEM_ARGS, source: 'CHROMIUM_PATH' };
  }
  if (existsSync(SYSTEM_CHROMIUM))
    return { executablePath: SYSTEM_CHROMIUM, args: SYSTEM_ARGS, source: SYSTEM_CHROMIUM };
  return bundledChromium();
};

const require = createRequire(import.meta.url);

/**
 * `@sparticuz/chromium` unpacks its brotli-compressed browser into `os.tmpdir()` and
 * reuses whatever it finds there, even half-written by a parallel test worker or left
 * by another version. So it unpacks, in a child process whose TMPDIR is a fresh folder,
 * and that folder is renamed into place in one step: a version-named folder holds either
 * a complete browser or nothing, and concurrent workers never see each other's halves.
 */
export const bundledChromium = async (): Promise<ChromiumLaunch> => {
  const entry = require.resolve('@sparticuz/chromium');
  const packageDir = join(dirname(entry), '..', '..');
  const { version } = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const target = join(tmpdir(), `simple-securities-chromium-${version}`);
  const source = `@sparticuz/chromium ${version}`;
  if (!existsSync(join(target, 'chromium'))) {
    const staging = await mkdtemp(join(tmpdir(), 'simple-securities-chromium-unpacking-'));
    try {
      await promisify(execFile)(
        process.execPath,
        ['-e', `require(${JSON.stringify(entry)}).executablePath()`],
        { env: { ...process.env, TMPDIR: staging } },
      );
      await rename(staging, target).catch((error: NodeJS.ErrnoException) => {
        // Another worker finished first; its copy is the same browser.
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(staging, { recursive: true, force: true });
    }
  }
  const { default: bundled } = await import('@sparticuz/chromium');
  return { executablePath: join(target, 'chromium'), args: bundled.args, source };
};
