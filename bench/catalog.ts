import { benchDatabase, type Load, load, median, portalEnv, progress, round, startServer, tempDir } from './lib.ts';

/**
 * npm run bench:catalog — catalog search over HTTP (the searchProcedures operation) against a
 * bare Fastify route, measured the same way in the same run. Prints one JSON line last.
 * Also measures the portal's /healthz (every hook of the platform, no handler work): the most
 * any portal route can do on this machine, so a low ratio can be told apart from the search.
 */
const seconds = Number(process.env.BENCH_SECONDS ?? 18);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
/** Rounds of baseline, /healthz and search in turn; BENCH_SECONDS is split over them. */
const roundCount = Number(process.env.BENCH_ROUNDS ?? 9);
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
const database = await benchDatabase(data.dir);
progress(`catalog bench on ${database.engine}, ${connections} connections, ${roundCount} rounds of ${seconds / roundCount} s per measurement`);
const baseline = await startServer('bench/baseline-server.ts', {});
const portal = await startServer('src/main.ts', portalEnv(data.dir, database));
try {
  // Every query must be a real search that finds something, or the figure means little.
  for (const p of paths) {
    const res = await fetch(portal.url + p);
    const body = (await res.json()) as { total?: number };
    if (res.status !== 200 || !body.total) throw new Error(`${p} answered ${res.status} with ${body.total ?? 0} results`);
  }
  // Warm both (JIT, search index) before measuring.
  await load(baseline.url, ['/baseline'], { seconds: 2, connections });
  await load(portal.url, paths, { seconds: 2, connections });
  // The machines are shared and their speed drifts within a minute: the three are measured in
  // turns, round after round, and each figure is the median over the rounds (the ratio is the
  // median of each round's own ratio, so a slow round slows both sides of it).
  const rounds: { base: Load; floor: Load; search: Load }[] = [];
  for (let r = 1; r <= roundCount; r++) {
    const slice = { seconds: seconds / roundCount, connections };
    const base = await load(baseline.url, ['/baseline'], slice);
    const floor = await load(portal.url, ['/healthz'], slice);
    const search = await load(portal.url, paths, slice);
    if (search.errors || search.non2xx) throw new Error(`search returned ${search.errors} errors, ${search.non2xx} non-2xx`);
    rounds.push({ base, floor, search });
    progress(`round ${r}: baseline ${round(base.perSecond)}/s, /healthz ${round(floor.perSecond)}/s, search ${round(search.perSecond)}/s (p99 ${search.p99} ms)`);
  }
  console.log(
    JSON.stringify({
      bench: 'catalog',
      db: database.engine,
      search_per_s: round(median(rounds.map((r) => r.search.perSecond))),
      search_p99_ms: Math.max(...rounds.map((r) => r.search.p99)),
      baseline_per_s: round(median(rounds.map((r) => r.base.perSecond))),
      ratio: round(median(rounds.map((r) => r.search.perSecond / r.base.perSecond)), 3),
      healthz_per_s: round(median(rounds.map((r) => r.floor.perSecond))),
      healthz_ratio: round(median(rounds.map((r) => r.floor.perSecond / r.base.perSecond)), 3),
      ratio_min: round(Math.min(...rounds.map((r) => r.search.perSecond / r.base.perSecond)), 3),
      ratio_max: round(Math.max(...rounds.map((r) => r.search.perSecond / r.base.perSecond)), 3),
      rounds: roundCount,
      connections,
      seconds,
    }),
  );
} finally {
  await portal.stop();
  await baseline.stop();
  await database.drop();
  data.remove();
}
