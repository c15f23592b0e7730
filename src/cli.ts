import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createCatalogModule, ImportRefused } from './modules/catalog/index.ts';
import { AuditLog } from './platform/audit/index.ts';
import { ConfigError, loadConfig } from './platform/config/index.ts';
import { openDatabase } from './platform/db/index.ts';
import { migrate } from './platform/db/migrations/index.ts';
import { t } from './platform/i18n/index.ts';
import type { Platform } from './platform/index.ts';
import { runUntilStopped } from './platform/process/companion.ts';

const usage = `egov — the e-government platform's command line

  egov serve                      start the portal (same as npm start)
  egov migrate                    apply database migrations
  egov seed                       load the demo city, catalog and accounts
  egov catalog import FILE        import a catalog JSON file (refused whole if invalid)
  egov catalog export [FILE]      write the catalog as JSON (stdout by default)
  egov agencies import FILE       load an administrative structure (agencies JSON)
  egov audit verify               check the audit log's hash chain
  egov registry-server            run a population registry server (OAuth2 client credentials)
                                  over the synthetic population, on PORT: a stand-in for the
                                  national registry (EGOV_REGISTRY_CLIENT_ID / _SECRET)
  egov signing rotate AGENCY      give the agency a new signing key (old results stay verifiable)
  egov signing import-p12 AGENCY FILE
                                  import the agency's key and certificate from a PKCS#12 file
                                  (its passphrase from EGOV_P12_PASSPHRASE); it signs from now on
  egov idp                        run the development identity provider (a stand-in for VNeID)
  egov paygate                    run the sandbox payment gateway (VNPay 2.1.0, no real money) on
                                  EGOV_PAYGATE_PORT, sending IPNs to EGOV_VNPAY_IPN_URL

Configuration comes from the environment (see README): DATABASE_URL, EGOV_DATA_DIR, …`;

const system = { id: null, label: 'system:cli', ip: null, requestId: null };

async function withPlatform<T>(fn: (p: Platform) => Promise<T>, opts: { migrate?: boolean } = {}): Promise<T> {
  const config = loadConfig();
  const handle = openDatabase(config.database);
  const audit = new AuditLog(handle.db, handle.engine);
  try {
    if (opts.migrate !== false) await migrate(handle.db, handle.engine);
    return await fn({ config, db: handle.db, engine: handle.engine, audit });
  } finally {
    // What the command recorded is chained before it exits (PostgreSQL seals after commit).
    await audit.seal().catch(() => {});
    await handle.close();
  }
}

const dataDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../data');

export async function runCli(args: string[]): Promise<number> {
  const [command, sub, file] = args;
  switch (`${command ?? ''} ${sub ?? ''}`.trim()) {
    case 'serve':
      await import('./main.ts');
      return -1;
    case 'migrate':
      return withPlatform(async (p) => {
        const applied = await migrate(p.db, p.engine);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'database is up to date');
        return 0;
      }, { migrate: false });
    case 'seed':
      return withPlatform(async (p) => {
        const { createAuth } = await import('./platform/auth/index.ts');
        const { WorkingCalendar } = await import('./platform/calendar/index.ts');
        const { DossierStore, seedDemoDossiers } = await import('./modules/dossiers/index.ts');
        const catalog = createCatalogModule(p, { dataDir }).service;
        await catalog.loadDemoData(dataDir);
        await createAuth(p).service.ensureDemoAccounts();
        const { RegistryStore, seedEmbeddedRegistry } = await import('./modules/registry/index.ts');
        await seedEmbeddedRegistry(new RegistryStore(p.db), path.join(dataDir, 'agencies/hanoi-2-levels.json'));
        // The demo dossiers' deadlines count working days: the holiday table comes first.
        await new WorkingCalendar(p, { dataDir: path.join(dataDir, 'calendar') }).ensureSeeded();
        const { createFiles } = await import('./platform/files/index.ts');
        const { createSigning } = await import('./platform/signing/index.ts');
        const { createResultsModule } = await import('./modules/results/index.ts');
        const files = createFiles(p);
        const results = createResultsModule(p, { catalog, files: files.service, keys: createSigning(p) }).port;
        try {
          const seeded = await seedDemoDossiers({ store: new DossierStore(p.db, p.engine) }, p, { catalog, codeFormat: p.config.dossierCodeFormat, results });
          const issued = seeded.results ? `, ${seeded.results} signed results` : '';
          console.log(`demo data loaded (${seeded.created} demo dossiers${issued}${seeded.skipped ? `: ${seeded.skipped}` : ''})`);
        } finally {
          await files.storage.close();
        }
        return 0;
      });
    case 'catalog import':
    case 'agencies import':
      if (!file) break;
      return withPlatform(async (p) => {
        const catalog = createCatalogModule(p, { dataDir }).service;
        const text = readFileSync(file, 'utf8');
        try {
          const summary = command === 'catalog' ? await catalog.importCatalogText(text, system) : await catalog.importAgenciesText(text, system);
          console.log(JSON.stringify(summary));
          return 0;
        } catch (err) {
          if (!(err instanceof ImportRefused)) throw err;
          console.error(`${file}: ${t('en', err.key, err.params)}`);
          for (const i of err.issues) console.error(`${file}:${i.line}:${i.column}: ${i.path ? `${i.path}: ` : ''}${t('en', i.key, i.params)}`);
          return 1;
        }
      });
    case 'catalog export':
      return withPlatform(async (p) => {
        const json = JSON.stringify(await createCatalogModule(p, { dataDir }).service.exportCatalog(), null, 2);
        if (file) writeFileSync(file, json);
        else process.stdout.write(`${json}\n`);
        return 0;
      });
    case 'idp': {
      const { startDevIdp } = await import('./platform/idp/index.ts');
      const idp = await startDevIdp(loadConfig());
      console.log(`development identity provider (not VNeID: anyone may sign in as anyone) at ${idp.issuer}`);
      runUntilStopped(() => idp.close());
      return -1;
    }
    case 'signing rotate':
    case 'signing import-p12':
      return withPlatform(async (p) => {
        const { createSigning } = await import('./platform/signing/index.ts');
        const agency = await createCatalogModule(p, { dataDir }).service.getAgency(file ?? '');
        if (!agency) {
          console.error(`unknown agency: ${file ?? '(none given)'}`);
          return 2;
        }
        const keys = createSigning(p);
        await keys.ensureDevCa();
        const p12 = args[3];
        if (sub === 'import-p12' && !p12) {
          console.error('usage: egov signing import-p12 AGENCY FILE');
          return 2;
        }
        const kid = p12 ? await keys.importP12(agency.code, readFileSync(p12), p.config.signing.p12Passphrase) : await keys.rotate(agency);
        await p.audit.record({ actorLabel: system.label, action: `signing.${sub}`, targetType: 'agency', targetId: agency.code, after: { kid } });
        console.log(`${agency.code}: signing key ${kid} is now active`);
        return 0;
      });
    case 'paygate': {
      const { startPaygate } = await import('./modules/payments/index.ts');
      const { vnpay, sandbox } = loadConfig().payments;
      const gate = await startPaygate({ port: sandbox.port, host: process.env.HOST ?? '127.0.0.1', tmnCode: vnpay.tmnCode, hashSecret: vnpay.hashSecret, ipnUrl: vnpay.ipnUrl });
      console.log(`sandbox payment gateway (no real money) at ${gate.url}, IPN to ${vnpay.ipnUrl}`);
      runUntilStopped(() => gate.close());
      return -1;
    }
    case 'registry-server': {
      const { serveRegistry } = await import('./modules/registry/serve.ts');
      const server = await serveRegistry(loadConfig(), path.join(dataDir, 'agencies/hanoi-2-levels.json'));
      console.log(`population registry server (synthetic data) at ${server.url}`);
      runUntilStopped(() => server.close());
      return -1;
    }
    case 'audit verify':
      return withPlatform(async (p) => {
        const result = await p.audit.verify();
        if (result.ok) console.log(`audit log intact: ${result.checked} entries verified`);
        else console.error(`audit log BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.checked} entries verified before it)`);
        return result.ok ? 0 : 1;
      });
  }
  console.error(usage);
  return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
}

runCli(process.argv.slice(2))
  .then((code) => {
    if (code >= 0) process.exit(code);
  })
  .catch((err) => {
    console.error(err instanceof ConfigError ? err.message : err);
    process.exit(err instanceof ConfigError ? 2 : 1);
  });
