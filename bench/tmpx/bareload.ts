import { load, multipart, pdfOfSize } from '../lib.ts';
const { body, contentType } = multipart([{ name: 'payload', value: JSON.stringify({ a: 1, b: 'x'.repeat(300) }) }, { name: 'giay-to-1', fileName: 'a.pdf', contentType: 'application/pdf', data: pdfOfSize(200 * 1024) }]);
const r = await load('http://127.0.0.1:3999', ['/up'], { seconds: 8, connections: 20, method: 'POST', headers: { 'content-type': contentType }, body });
console.log(JSON.stringify({ perS: r.okPerSecond, p50: r.p50, p99: r.p99, codes: r.statusCodes }));
