import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';

const rootDir = path.resolve(import.meta.dirname, '../../..');

export const TEST_TMN_CODE = 'EGOVTEST';
export const TEST_HASH_SECRET = 'EGOVTESTSECRET0123456789ABCDEFGH';

/** The environment of a portal that pays at the sandbox gateway on `gatewayUrl`. */
export function gatewayEnv(gatewayUrl: string): Record<string, string> {
  return {
    EGOV_VNPAY_TMN_CODE: TEST_TMN_CODE,
    EGOV_VNPAY_HASH_SECRET: TEST_HASH_SECRET,
    EGOV_VNPAY_PAYMENT_URL: `${gatewayUrl}/paymentv2/vpcpay.html`,
    EGOV_VNPAY_API_URL: `${gatewayUrl}/merchant_webapi/api/transaction`,
  };
}

/**
 * `egov paygate` as a separate process (as in production, the gateway is another system that
 * calls us back), on `port`, sending IPNs to `ipnUrl`. Resolves once it answers /healthz.
 */
export async function startPaygateProcess(o: { port: number; ipnUrl: string }): Promise<{ url: string; // biome-ignore lint/suspicious/noExplicitAny: JSON of the sandbox control API, checked by the tests
  control(path: string, body?: unknown): Promise<any>; stop(): Promise<void> }> {
  const url = `http://127.0.0.1:${o.port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, EGOV_PAYGATE_PORT: String(o.port), EGOV_VNPAY_IPN_URL: o.ipnUrl, EGOV_VNPAY_TMN_CODE: TEST_TMN_CODE, EGOV_VNPAY_HASH_SECRET: TEST_HASH_SECRET, EGOV_SECRET: 'paygate-secret-paygate-secret-paygate-0', HOST: '127.0.0.1' };
  delete env.DATABASE_URL;
  delete env.EGOV_VNPAY_PAYMENT_URL;
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path.join(rootDir, 'src/cli.ts'), 'paygate'], { cwd: rootDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => child.kill('SIGKILL'));
  for (const deadline = Date.now() + 30_000; ; ) {
    if (child.exitCode !== null) throw new Error(`paygate exited:\n${output}`);
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error(`paygate not ready:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    control: async (p, body) => {
      const res = await fetch(`${url}${p}`, body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) });
      return res.json();
    },
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
