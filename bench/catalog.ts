import { load, round, startServer, tempDir } from './lib.ts';

/**
 * npm run bench:catalog — catalog search over HTTP (the searchProcedures operation) against a
 * bare Fastify route, measured the same way in the same run. Prints one JSON line last.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const queries = [
  'dang ky khai sinh',
  'đăng ký kết hôn',
  'ly lich tu phap',
  'bang lai xe',
  'cap lai giay phep lai xe',
  'so do',
  'thanh lap cong ty',
  'ho chieu',
  'dang ky thuong tru',
  'bao hiem xa hoi',
  'chung thuc ban sao',
  'giay phep xay dung',
  'tuyen sinh lop 1',
  'ho tro hoa tang',
  'dang ki khai sinh cho con',
  'khai tu',
  'cccd',
  'xac nhan tinh trang hon nhan',
  'an toan thuc pham',
  'ho kinh doanh',
];
const paths = queries.map((q) => `/api/v1/procedures?q=${encodeURIComponent(q)}&pageSize=10`);

const data = tempDir('egov-bench-');
const db = process.env.DATABASE_URL ? 'postgres' : 'sqlite';
const baseline = await startServer('bench/baseline-server.ts', {});
const portal = await startServer('src/main.ts', {
  EGOV_DATA_DIR: data.dir,
  EGOV_DEMO: 'on',
  EGOV_LOG_LEVEL: 'warn',
  EGOV_RATE_LIMIT_PER_MIN: '100000000',
  EGOV_SECRET: 'bench-secret-bench-secret-bench-secret-00',
});
try {
  // Warm both (JIT, search index) before measuring.
  await load(baseline.url, ['/baseline'], { seconds: 2, connections });
  await load(portal.url, paths, { seconds: 2, connections });
  const base = await load(baseline.url, ['/baseline'], { seconds, connections });
  const search = await load(portal.url, paths, { seconds, connections });
  if (search.errors || search.non2xx) throw new Error(`search returned ${search.errors} errors, ${search.non2xx} non-2xx`);
  console.log(
    JSON.stringify({
      bench: 'catalog',
      db,
      search_per_s: round(search.perSecond),
      search_p99_ms: search.p99,
      baseline_per_s: round(base.perSecond),
      ratio: round(search.perSecond / base.perSecond, 3),
      connections,
      seconds,
    }),
  );
} finally {
  await portal.stop();
  await baseline.stop();
  data.remove();
}
