import { Registry, collectDefaultMetrics } from 'prom-client';

/** Upper bounds of the request duration histogram, in seconds. */
const BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface RouteDurations {
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  counts: number[];
  sum: number;
  total: number;
}

/**
 * Prometheus metrics for one app instance, on its own registry (no import-time singleton).
 * The two per-request series are counted here in plain maps and written in the text format at
 * scrape time: prom-client hashes and validates the labels of every observation, which cost
 * more than the rest of a cached search's platform work. Process metrics stay prom-client's.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Map<string, { method: string; route: string; status: number; count: number }>();
  const durations = new Map<string, RouteDurations>();
  return {
    contentType: registry.contentType,
    observe(method: string, route: string, status: number, seconds: number) {
      const key = `${method} ${status} ${route}`;
      const counted = requests.get(key);
      if (counted) counted.count++;
      else requests.set(key, { method, route, status, count: 1 });
      let d = durations.get(route);
      if (!d) {
        d = { counts: new Array(BUCKETS.length + 1).fill(0), sum: 0, total: 0 };
        durations.set(route, d);
      }
      let bucket = 0;
      while (bucket < BUCKETS.length && seconds > (BUCKETS[bucket] as number)) bucket++;
      (d.counts[bucket] as number)++;
      d.sum += seconds;
      d.total++;
    },
    async render(): Promise<string> {
      const lines = [
        '# HELP egov_http_requests_total HTTP requests by method, route and status',
        '# TYPE egov_http_requests_total counter',
      ];
      for (const r of requests.values()) lines.push(`egov_http_requests_total{method="${label(r.method)}",route="${label(r.route)}",status="${r.status}"} ${r.count}`);
      lines.push('# HELP egov_http_request_duration_seconds HTTP request duration by route', '# TYPE egov_http_request_duration_seconds histogram');
      for (const [route, d] of durations) {
        let cumulative = 0;
        BUCKETS.forEach((le, i) => {
          cumulative += d.counts[i] as number;
          lines.push(`egov_http_request_duration_seconds_bucket{le="${le}",route="${label(route)}"} ${cumulative}`);
        });
        lines.push(`egov_http_request_duration_seconds_bucket{le="+Inf",route="${label(route)}"} ${d.total}`);
        lines.push(`egov_http_request_duration_seconds_sum{route="${label(route)}"} ${d.sum}`);
        lines.push(`egov_http_request_duration_seconds_count{route="${label(route)}"} ${d.total}`);
      }
      return `${await registry.metrics()}\n${lines.join('\n')}\n`;
    },
  };
}

/** A label value in the exposition format: backslash, quote and newline escaped. */
function label(value: string): string {
  return value.replace(/[\\"\n]/g, (c) => (c === '\n' ? '\\n' : `\\${c}`));
}
