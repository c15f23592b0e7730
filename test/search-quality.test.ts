import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.ts';

/**
 * What citizens type, and the procedure they mean, on the demo catalog: accent-free,
 * misspelled, colloquial and abbreviated queries land on the official procedure first.
 */
const firstHit: [string, string][] = [
  ['dang ky khai sinh', '1.001193'],
  ['Đăng ký khai sinh', '1.001193'],
  ['dang ki khai sinh', '1.001193'],
  ['khai snh', '1.001193'],
  ['lam giay khai sinh', '1.001193'],
  ['dang ky ket hon', '1.000894'],
  ['giay xac nhan doc than', '1.004873'],
  ['ly lich tu phap', '2.001417'],
  ['lltp', '2.001417'],
  ['bang lai xe', '1.002804'],
  ['so do', '1.012753'],
  ['cccd', '2.000202'],
  ['ho chieu', '1.001456'],
  ['lam ho chieu', '1.001456'],
  ['nhap ho khau', '1.004222'],
  ['tam tru', '1.004194'],
  ['xin phep xay nha', '1.013225'],
  ['tuyen sinh lop 1', '3.000180'],
  ['vao lop 6', '3.000182'],
  ['mam non', '3.000178'],
  ['hoa tang', '2.002419'],
  ['thai san', '2.000693'],
  ['tro cap that nghiep', '1.001978'],
  ['mst', '1.007681'],
  ['ho kinh doanh', '1.001612'],
  ['sao y ban chinh', '2.000815'],
];

describe('search quality on the demo catalog', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({});
  });
  afterAll(() => t?.close());

  it.each(firstHit)('“%s” finds %s first', async (query, code) => {
    const { items } = await t.app.catalog.service.search(query, {}, 1, 5);
    expect(items[0]?.code, items.map((i) => `${i.code} ${i.name}`).join('\n')).toBe(code);
  });

  // Everyday words that fit several procedures: the general one is among the first three.
  it.each([
    ['lấy vợ', '1.000894'],
    ['khai tu', '1.000656'],
    ['cong chung', '2.000815'],
    ['bhyt', '1.000395'],
  ])('“%s” lists %s among the first three', async (query, code) => {
    const { items } = await t.app.catalog.service.search(query, {}, 1, 3);
    expect(items.map((i) => i.code)).toContain(code);
  });

  it('a query with nothing in common finds nothing rather than noise', async () => {
    const { total } = await t.app.catalog.service.search('xyzzy quux', {}, 1, 5);
    expect(total).toBe(0);
  });
});
