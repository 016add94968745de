/**
 * `npm run proto:generate` writes the TypeScript stubs of proto/ (buf + ts-proto, both
 * from node_modules, so it runs offline); `npm run proto:check` generates them into a
 * scratch folder and fails when the committed ones differ.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const stubs = 'clients/funds/src/generated';
const buf = path.join(root, 'node_modules/.bin/buf');

const generate = (outputRoot: string) =>
  promisify(execFile)(
    buf,
    ['generate', 'proto', '--template', 'proto/buf.gen.yaml', '-o', outputRoot],
    {
      cwd: root,
    },
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
    await generate(scratch);
    const fresh = await filesUnder(path.join(scratch, stubs));
    const committed = await filesUnder(path.join(root, stubs)).catch(
      () => new Map<string, string>(),
    );
    const stale = [...new Set([...fresh.keys(), ...committed.keys()])].filter(
      (file) => fresh.get(file) !== committed.get(file),
    );
    if (stale.length > 0) {
      console.error(
        `✖ Stale gRPC stubs in ${stubs}: ${stale.join(', ')}. Run npm run proto:generate.`,
      );
      process.exit(1);
    }
    console.log(`✔ ${stubs} matches proto/.`);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
} else {
  await rm(path.join(root, stubs), { recursive: true, force: true });
  await generate(root);
  console.log(`✔ Wrote ${stubs} from proto/.`);
}
