/**
 * An amount of dong in Vietnamese words, as receipts write it ("Bằng chữ"): 305000 →
 * "Ba trăm linh năm nghìn đồng". Whole numbers up to 999 999 999 999 999.
 */
const digits = ['không', 'một', 'hai', 'ba', 'bốn', 'năm', 'sáu', 'bảy', 'tám', 'chín'];
const scales = ['', 'nghìn', 'triệu', 'tỷ', 'nghìn tỷ'];

/** Three digits; `full`: a group after a higher one, which says its hundreds and "linh". */
function group(n: number, full: boolean): string {
  const h = Math.floor(n / 100);
  const t = Math.floor((n % 100) / 10);
  const u = n % 10;
  const out: string[] = [];
  if (h > 0 || full) out.push(`${digits[h]} trăm`);
  if (t === 0) {
    if (u > 0 && (h > 0 || full)) out.push('linh');
  } else if (t === 1) out.push('mười');
  else out.push(`${digits[t]} mươi`);
  if (u > 0) {
    if (u === 1 && t > 1) out.push('mốt');
    else if (u === 5 && t > 0) out.push('lăm');
    else if (u === 4 && t > 1) out.push('tư');
    else out.push(digits[u] ?? '');
  }
  return out.join(' ');
}

export function vndInWords(amount: number): string {
  if (!Number.isInteger(amount) || amount < 0 || amount > 999_999_999_999_999) throw new RangeError('amount must be a whole number of dong');
  if (amount === 0) return 'Không đồng';
  const groups: number[] = [];
  for (let n = amount; n > 0; n = Math.floor(n / 1000)) groups.push(n % 1000);
  const parts: string[] = [];
  for (let i = groups.length - 1; i >= 0; i--) {
    const g = groups[i] ?? 0;
    if (g === 0) continue;
    parts.push(`${group(g, i < groups.length - 1)}${scales[i] ? ` ${scales[i]}` : ''}`);
  }
  const text = `${parts.join(' ')} đồng`;
  return text.charAt(0).toUpperCase() + text.slice(1);
}
