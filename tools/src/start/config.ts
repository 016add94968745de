import path from 'node:path';
import { z } from 'zod';
import { commonConfig, port, postgresUrl } from '@simple-securities/service-kit';

const repositoryRoot = path.resolve(import.meta.dirname, '../../..');

/** The launcher's own settings; each service reads and checks its own (see `startStack`). */
export const launcherConfig = {
  LOG_LEVEL: commonConfig.LOG_LEVEL,
  DATA_DIR: z.string().default(path.join(repositoryRoot, '.data')),
  DATABASE_URL: postgresUrl.optional(),
  SUPERGRAPH_PATH: z.string().default(path.join(repositoryRoot, 'schema/supergraph.graphql')),
  /** The router's port: the one address users need. */
  PORT: port(4000),
};
