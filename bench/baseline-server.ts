import Fastify from 'fastify';

// The bare-Fastify baseline: one JSON route, no plugins, no logging. Benchmarks measure the
// platform's routes against it in the same run, because these machines are shared and noisy.
const app = Fastify({ logger: false });
app.get('/healthz', async () => ({ status: 'ok' }));
app.get('/baseline', async () => ({ items: [{ code: '1.001193', name: 'Đăng ký khai sinh' }], total: 1, page: 1, pageSize: 20 }));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
