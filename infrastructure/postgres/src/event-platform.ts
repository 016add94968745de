import { fileURLToPath } from 'node:url';

/** Migration folders (Prisma layout) with the event platform's tables; pass to `migrate`. */
export const platformMigrationsDir = fileURLToPath(new URL('../migrations', import.meta.url));
