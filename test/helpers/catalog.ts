import { agenciesFile, catalogFile } from '../fixtures/catalog.ts';
import type { TestApp } from './app.ts';
import { testActor } from './platform.ts';

/** Loads the small test catalog into a running test app. */
export async function loadTestCatalog(t: TestApp): Promise<void> {
  await t.app.catalog.service.importAgenciesText(JSON.stringify(agenciesFile), testActor);
  await t.app.catalog.service.importCatalogText(JSON.stringify(catalogFile), testActor);
}
