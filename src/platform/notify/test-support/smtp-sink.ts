/**
 * A throw-away SMTP server for tests, run in a child process:
 *   node --import tsx smtp-sink.ts <user> <pass>
 * Listens on 127.0.0.1 on a free port and writes JSON lines to stdout: first
 * `{"port": N}`, then one `{"mail": {...}}` per message received, parsed by mailparser (so
 * encoded headers and bodies arrive decoded). Requires AUTH with the given user and password;
 * refuses recipients whose address starts with `refuse` (550), to test permanent failures.
 * Ends on SIGTERM or when stdin closes.
 */
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

const [user = 'test', pass = 'test'] = process.argv.slice(2);

function print(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}

const server = new SMTPServer({
  logger: false,
  // Plain SMTP on loopback: no certificate to trust, and AUTH allowed without TLS.
  disabledCommands: ['STARTTLS'],
  allowInsecureAuth: true,
  onAuth(auth, _session, callback) {
    if (auth.username === user && auth.password === pass) callback(null, { user: auth.username });
    else callback(new Error('Invalid username or password'));
  },
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith('refuse')) {
      const err = Object.assign(new Error('Mailbox unavailable'), { responseCode: 550 });
      callback(err);
    } else callback();
  },
  onData(stream, session, callback) {
    simpleParser(stream)
      .then((mail) => {
        print({
          mail: {
            user: session.user ?? null,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            from: mail.from?.text ?? null,
            to: Array.isArray(mail.to) ? mail.to.map((a) => a.text).join(', ') : (mail.to?.text ?? null),
            subject: mail.subject ?? null,
            text: mail.text ?? null,
            html: typeof mail.html === 'string' ? mail.html : null,
            messageId: mail.messageId ?? null,
          },
        });
        callback();
      })
      .catch((err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
  },
});

server.on('error', (err) => {
  process.stderr.write(`smtp-sink: ${err.message}\n`);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.server.address();
  print({ port: typeof address === 'object' && address ? address.port : null });
});

const stop = () => server.close(() => process.exit(0));
process.once('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();
