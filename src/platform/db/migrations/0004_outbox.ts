import type { Kysely } from 'kysely';
import type { MigrationContext } from './index.ts';

export async function up(_db: Kysely<unknown>, _ctx: MigrationContext): Promise<void> {}
