import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface ReceivedMail {
  user: string | null;
  envelopeTo: string[];
  from: string | null;
  to: string | null;
  subject: string | null;
  text: string | null;
  html: string | null;
  messageId: string | null;
}

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'smtp-sink.ts');

/** Starts smtp-sink.ts in a child process and collects the mail it receives. */
export async function startSmtpSink(auth: { user: string; pass: string }) {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script, auth.user, auth.pass], { stdio: ['pipe', 'pipe', 'inherit'] });
  const received: ReceivedMail[] = [];
  const waiters: (() => void)[] = [];
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`smtp sink exited with ${code}`)));
    lines.on('line', (line) => {
      const msg = JSON.parse(line) as { port?: number; mail?: ReceivedMail };
      if (msg.port) resolve(msg.port);
      if (msg.mail) {
        received.push(msg.mail);
        for (const w of waiters.splice(0)) w();
      }
    });
  });
  return {
    port,
    received,
    /** Resolves once `count` messages have arrived. */
    async waitFor(count: number, timeoutMs = 10_000): Promise<ReceivedMail[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mails, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 100);
        });
      }
      return received.slice(0, count);
    },
    async stop(): Promise<void> {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
