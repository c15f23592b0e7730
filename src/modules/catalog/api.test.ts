import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { loadTestCatalog } from '../../../test/helpers/catalog.ts';
import { testActor } from '../../../test/helpers/platform.ts';

describe('catalog JSON API over HTTP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ listen: true, demo: false });
    await loadTestCatalog(t);
  });
  afterAll(() => t.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(t.url + path, { headers });

  it('searchProcedures finds a procedure typed without accents, in the list envelope', async () => {
    const res = await get('/api/v1/procedures?q=dang%20ky%20khai%20sinh');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body).toMatchObject({ page: 1, pageSize: 20 });
    expect(body.items[0]).toMatchObject({ code: '1.001193', name: 'Thủ tục đăng ký khai sinh', domainCode: 'ho-tich', onlineLevel: 'FULL' });
    expect(body.total).toBe(body.items.length);
  });

  it('answers a repeated search with the same JSON body, documented fields only, and sees a catalog change', async () => {
    const path = '/api/v1/procedures?q=khai%20sinh&pageSize=3';
    const first = await get(path);
    const second = await get(path);
    expect(first.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const text = await first.text();
    expect(await second.text()).toBe(text);
    const body = JSON.parse(text);
    expect(Object.keys(body).sort()).toEqual(['items', 'page', 'pageSize', 'total']);
    expect(Object.keys(body.items[0]).sort()).toEqual(['code', 'domainCode', 'domainName', 'feeTotal', 'levels', 'name', 'nameEn', 'onlineLevel', 'processingDays']);
    // A retired procedure leaves the cached answer at once on this instance.
    expect(body.items[0].code).toBe('1.001193');
    await t.app.catalog.service.setStatus('1.001193', 'retired', testActor);
    try {
      const after = await (await get(path)).json();
      expect(after.items.map((i: { code: string }) => i.code)).not.toContain('1.001193');
    } finally {
      await t.app.catalog.service.setStatus('1.001193', 'active', testActor);
    }
    expect(await (await get(path)).text()).toBe(text);
  });

  it('tolerates a typo and the i/y spelling variant', async () => {
    for (const q of ['dang ki khai sinh', 'dang ky khai snh', 'khai sinhh']) {
      const body = await (await get(`/api/v1/procedures?q=${encodeURIComponent(q)}`)).json();
      expect(body.items[0]?.code, q).toBe('1.001193');
    }
  });

  it('expands everyday words: "bằng lái" finds the driving licence, "lltp" the judicial record', async () => {
    const licence = await (await get(`/api/v1/procedures?q=${encodeURIComponent('bằng lái')}`)).json();
    expect(licence.items[0]?.code).toBe('1.002809');
    const lltp = await (await get('/api/v1/procedures?q=lltp')).json();
    expect(lltp.items[0]?.code).toBe('2.001417');
  });

  it('filters and pages', async () => {
    const all = await (await get('/api/v1/procedures?pageSize=2&page=2')).json();
    expect(all).toMatchObject({ total: 5, page: 2, pageSize: 2 });
    expect(all.items).toHaveLength(2);
    const civil = await (await get('/api/v1/procedures?domain=ho-tich&pageSize=500')).json();
    expect(civil.items.map((i: { code: string }) => i.code).sort()).toEqual(['1.000656', '1.000894', '1.001193']);
  });

  it('getProcedure returns the procedure with its papers, fees and legal basis', async () => {
    const res = await get('/api/v1/procedures/2.001417');
    const body = await res.json();
    expect(body).toMatchObject({ code: '2.001417', status: 'active', version: 1, domain: { code: 'tu-phap' } });
    expect(body.procedure.fees).toEqual([{ name: 'Phí cung cấp thông tin lý lịch tư pháp', amount: 200000 }]);
    expect(body.implementers[0]).toMatchObject({ agencyCode: '000.00.06.H26', name: 'Sở Tư pháp' });
  });

  it('answers an unknown procedure with 404 in Vietnamese, or English when asked', async () => {
    const vi = await get('/api/v1/procedures/9.999999');
    expect(vi.status).toBe(404);
    expect((await vi.json()).error).toEqual({ code: 'PROCEDURE_NOT_FOUND', message: 'Không tìm thấy thủ tục có mã 9.999999.' });
    const en = await get('/api/v1/procedures/9.999999', { 'accept-language': 'en' });
    expect((await en.json()).error.message).toBe('No procedure with code 9.999999.');
  });

  it('names the bad field: unknown parameter, page size over 500, unknown online level', async () => {
    const res = await get('/api/v1/procedures?q=x&colour=red&pageSize=501&onlineLevel=LEVEL9');
    expect(res.status).toBe(400);
    const { error } = await res.json();
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'onlineLevel', 'pageSize']);
    expect(error.fields.find((f: { field: string }) => f.field === 'pageSize').message).toBe('Giá trị lớn nhất là 500.');
    // Asked again, and in English: refused again, in the language asked (only valid queries are remembered).
    const again = await get('/api/v1/procedures?q=x&colour=red&pageSize=501&onlineLevel=LEVEL9', { 'accept-language': 'en' });
    expect(again.status).toBe(400);
    expect((await again.json()).error.fields.find((f: { field: string }) => f.field === 'pageSize').message).toBe('Must be at most 500.');
  });

  it('listDomains and listAgencies', async () => {
    const domains = await (await get('/api/v1/domains')).json();
    expect(domains.items.find((d: { code: string }) => d.code === 'ho-tich')).toMatchObject({ name: 'Hộ tịch', procedureCount: 3 });
    const agencies = await (await get('/api/v1/agencies?structure=test-3-levels')).json();
    expect(agencies).toMatchObject({ total: 4, structure: 'test-3-levels' });
    expect(agencies.items[0]).toMatchObject({ code: '000.00.00.H26', level: 'city' });
  });

  it('refuses malformed JSON and oversize bodies with a clear 4xx', async () => {
    const malformed = await fetch(`${t.url}/api/v1/procedures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"q": ' });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error.code).toBe('MALFORMED_JSON');
    const huge = await fetch(`${t.url}/api/v1/procedures`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ q: 'x'.repeat(2_000_000) }) });
    expect(huge.status).toBe(413);
    expect((await huge.json()).error.code).toBe('BODY_TOO_LARGE');
  });
});
