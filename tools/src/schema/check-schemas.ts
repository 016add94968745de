/**
 * `npm run schema:check`: fails when the supergraph does not compose, when the committed
 * schema/ files are stale, or when the API schema breaks clients compared with the base ref.
 * The whole report goes to stdout so it reads in order in CI logs; the exit code carries the verdict.
 */
import { join, relative } from 'node:path';
import { readBaseSupergraph } from './base-supergraph.js';
import { readCliOptions, runCli } from './cli.js';
import { formatCompositionProblems } from './check-composition.js';
import { findBreakingChanges, formatApiSchemaDiff } from './find-breaking-changes.js';
import { generateSchemaFiles } from './generate-schema-files.js';
import { findStaleFiles, formatStaleFiles, SUPERGRAPH_FILE } from './schema-files.js';

runCli(async () => {
  const options = await readCliOptions(process.argv.slice(2), process.env);
  const schemaDir = relative(options.cwd, options.schemaDir) || '.';

  const generation = await generateSchemaFiles(options.sources);
  if (!generation.ok) {
    console.log(formatCompositionProblems(generation.problems));
    return 1;
  }
  console.log(`✔ The supergraph composes from ${options.sources.length} subgraph(s).`);
  let failed = false;

  const stale = await findStaleFiles(generation.files, options.schemaDir);
  if (stale.length > 0) failed = true;
  console.log(
    stale.length > 0
      ? formatStaleFiles(stale, schemaDir)
      : `✔ The committed files in ${schemaDir}/ match the subgraph code.`,
  );

  const base = readBaseSupergraph(
    options.cwd,
    join(options.schemaDir, SUPERGRAPH_FILE),
    options.base,
  );
  if (base.kind === 'found') {
    const result = await findBreakingChanges(base.sdl, generation.supergraphSdl);
    if (result.breaking.length > 0) failed = true;
    console.log(formatApiSchemaDiff(result, `${base.ref} (${base.commit.slice(0, 12)})`));
  } else if (base.kind === 'skipped') {
    console.log(`ℹ ${base.reason}`);
  } else {
    failed = true;
    console.log(`✖ ${base.reason}`);
  }

  console.log(failed ? '✖ Schema check failed.' : '✔ Schema check passed.');
  return failed ? 1 : 0;
});
