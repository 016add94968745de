import { fileURLToPath } from 'node:url';

/** Where the core write model lives; tools run from any working directory. */
export const prismaSchemaPath = fileURLToPath(
  new URL('../../../prisma/schema.prisma', import.meta.url),
);
export const coreMigrationsPath = fileURLToPath(
  new URL('../../../prisma/migrations', import.meta.url),
);
