/** `npm run schema`: writes each subgraph's SDL and the composed supergraph to schema/. */
import { relative } from 'node:path';
import { readCliOptions, runCli } from './cli.js';
import { formatCompositionProblems } from './check-composition.js';
import { generateSchemaFiles } from './generate-schema-files.js';
import { writeSchemaFiles } from './schema-files.js';

runCli(async () => {
  const options = await readCliOptions(process.argv.slice(2), process.env);
  const generation = await generateSchemaFiles(options.sources);
  if (!generation.ok) {
    console.log(formatCompositionProblems(generation.problems));
    return 1;
  }
  await writeSchemaFiles(generation.files, options.schemaDir);
  const dir = relative(options.cwd, options.schemaDir) || '.';
  console.log(`✔ Wrote ${[...generation.files.keys()].join(', ')} to ${dir}/`);
  return 0;
});
