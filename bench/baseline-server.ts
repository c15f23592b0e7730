import multipart from '@fastify/multipart';
import Fastify from 'fastify';
import { DiskStorage, newBlobKey } from '../src/platform/files/storage.ts';

// The bare-Fastify baseline: no plugins beyond what a route needs, no logging, no database.
// Benchmarks measure the platform's routes against it in the same run, because these machines
// are shared and noisy.
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/baseline', async () => ({ items: [{ code: '1.001193', name: 'Đăng ký khai sinh' }], total: 1, page: 1, pageSize: 20 }));

// The floor under an online submission: the same multipart upload, each file stored durably by
// the platform's own disk storage (hashed, fsynced, renamed, directory fsynced); nothing else.
const files = process.env.BASELINE_FILES_DIR;
if (files) {
  const storage = new DiskStorage(files);
  await app.register(multipart, { limits: { fileSize: 20 * 1024 * 1024 } });
  app.post('/baseline/upload', async (request, reply) => {
    const stored: string[] = [];
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      const key = newBlobKey();
      await storage.put(key, part.file);
      stored.push(key);
    }
    reply.code(201);
    return { stored };
  });
}
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
