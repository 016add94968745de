/**
 * `npm run proto:generate` writes the TypeScript stubs of proto/ (buf + ts-proto, both
 * from node_modules, so it runs offline); `npm run proto:check` generates them into a
 * scratch folder and fails when the committed ones differ. Each contract
 * `proto/<name>/` belongs to the client package `clients/<name>/`, whose
 * `src/generated/` holds its stubs.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const buf = path.join(root, 'node_modules/.bin/buf');

const contracts = (await readdir(path.join(root, 'proto'), { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

const stubsOf = (contract: string) => `clients/${contract}/src/generated`;

/** Writes the stubs of `proto/<contract>/` under `outputRoot/clients/<contract>/`. */
const generate = (contract: string, outputRoot: string) =>
  promisify(execFile)(
    buf,
    [
      'generate',
      'proto',
      '--template',
      'proto/buf.gen.yaml',
      '--path',
      `proto/${contract}`,
      '-o',
      path.join(outputRoot, 'clients', contract),
    ],
    { cwd: root },
  );

const filesUnder = async (dir: string): Promise<Map<string, string>> => {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    files.set(path.relative(dir, file), await readFile(file, 'utf8'));
  }
  return files;
};

if (process.argv.includes('--check')) {
  const scratch = await mkdtemp(path.join(tmpdir(), 'proto-check-'));
  try {
    let stale = false;
    for (const contract of contracts) {
      await generate(contract, scratch);
      const fresh = await filesUnder(path.join(scratch, stubsOf(contract)));
      const committed = await filesUnder(path.join(root, stubsOf(contract))).catch(
        () => new Map<string, string>(),
      );
      const differing = [...new Set([...fresh.keys(), ...committed.keys()])].filter(
        (file) => fresh.get(file) !== committed.get(file),
      );
      if (differing.length === 0) continue;
      stale = true;
      console.error(
        `✖ Stale gRPC stubs in ${stubsOf(contract)}: ${differing.join(', ')}. Run npm run proto:generate.`,
      );
    }
    if (stale) process.exit(1);
    console.log(`✔ ${contracts.map(stubsOf).join(', ')} match proto/.`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
} else {
  for (const contract of contracts) {
    await rm(path.join(root, stubsOf(contract)), { recursive: true, force: true });
    await generate(contract, root);
    console.log(`✔ Wrote ${stubsOf(contract)} from proto/${contract}.`);
  }
}
