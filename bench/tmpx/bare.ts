import Fastify from 'fastify';
import multipart from '@fastify/multipart';
import { open, mkdir, rename } from 'node:fs/promises';
import { createHash, randomUUID } from 'node:crypto';
const app = Fastify();
await app.register(multipart, { limits: { fileSize: 10e6 } });
const dir = '/tmp/bare-files'; await mkdir(dir, { recursive: true });
const mode = process.env.MODE ?? 'fsync';
app.post('/up', async (req, reply) => {
  let n = 0;
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      const buf = await part.toBuffer();
      const h = createHash('sha256').update(buf).digest('hex');
      if (mode !== 'none') {
        const k = randomUUID(); const f = await open(`${dir}/.t${k}`, 'wx'); await f.write(buf); if (mode === 'fsync') await f.sync(); await f.close(); await rename(`${dir}/.t${k}`, `${dir}/${k}`);
        if (mode === 'fsync') { const d = await open(dir, 'r'); await d.sync(); await d.close(); }
      }
      n += buf.length + h.length;
    } else n += String(part.value).length;
  }
  reply.code(201); return { n };
});
await app.listen({ port: 3999, host: '127.0.0.1' });
