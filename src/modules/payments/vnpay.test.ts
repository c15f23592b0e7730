import { describe, expect, it } from 'vitest';
import { hmacSha512, parseVnpDate, payParams, queryRequestFields, readCallback, sign, signedData, signFields, verify, vnpDate } from './vnpay.ts';
import { vndInWords } from './words.ts';

const SECRET = 'EGOVTESTSECRET0123456789ABCDEFGH';
const order = {
  tmnCode: 'EGOVTEST',
  txnRef: 'EG2611270001AB',
  amount: 305_000,
  orderInfo: 'Thanh toan ho so 000.00.61.H26-261127-0001',
  returnUrl: 'http://127.0.0.1:3000/payments/vnpay/return',
  ipAddr: '127.0.0.1',
  locale: 'vn' as const,
  createdAt: new Date('2026-11-27T11:30:05Z'),
  expiresAt: new Date('2026-11-27T11:45:05Z'),
};

/**
 * Vectors computed independently of this code, with Python's urllib.parse.quote_plus and
 * hmac.new(secret, data, hashlib.sha512): the canonical text and its HMAC-SHA512.
 */
describe('VNPay 2.1.0 signatures', () => {
  it('signs the sorted, form-URL-encoded parameters with HMAC-SHA512, amount × 100, GMT+7 times', () => {
    const params = payParams(order);
    expect(params.vnp_Amount).toBe('30500000');
    expect(params.vnp_CreateDate).toBe('20261127183005');
    expect(params.vnp_ExpireDate).toBe('20261127184505');
    expect(signedData(params)).toBe(
      'vnp_Amount=30500000&vnp_Command=pay&vnp_CreateDate=20261127183005&vnp_CurrCode=VND&vnp_ExpireDate=20261127184505&vnp_IpAddr=127.0.0.1&vnp_Locale=vn' +
        '&vnp_OrderInfo=Thanh+toan+ho+so+000.00.61.H26-261127-0001&vnp_OrderType=other&vnp_ReturnUrl=http%3A%2F%2F127.0.0.1%3A3000%2Fpayments%2Fvnpay%2Freturn' +
        '&vnp_TmnCode=EGOVTEST&vnp_TxnRef=EG2611270001AB&vnp_Version=2.1.0',
    );
    expect(sign(params, SECRET)).toBe('c69266e0b019ab6f40962945cd9b6432dc25459538b4ecc2c4f0b7c1d7cb6d6e0d0dad7921600569ffba6645f6855b8f0f4c5b4b3a636410bd5110fd3c37d8fc');
  });

  it('signs merchant API requests over the fields joined by "|"', () => {
    const body = {
      vnp_RequestId: 'REQ0001',
      vnp_Version: '2.1.0',
      vnp_Command: 'querydr',
      vnp_TmnCode: 'EGOVTEST',
      vnp_TxnRef: 'EG2611270001AB',
      vnp_TransactionDate: '20261127183005',
      vnp_CreateDate: '20261127190000',
      vnp_IpAddr: '127.0.0.1',
      vnp_OrderInfo: 'Truy van giao dich EG2611270001AB',
    };
    expect(signFields(body, queryRequestFields, SECRET)).toBe(
      'c3bd62315bb90d4b85bc9b4eade7bb939833424be1bee596528b485e972d900513a19082dbd3a7cb49862efc1b3bea6e54d3bdb8973b8b75389399225eeb2332',
    );
  });

  it('verifies a callback, and refuses one changed after signing, signed with another secret or unsigned', () => {
    const cb = { vnp_Amount: '30500000', vnp_ResponseCode: '00', vnp_TransactionStatus: '00', vnp_TxnRef: 'EG2611270001AB', vnp_TmnCode: 'EGOVTEST', vnp_OrderInfo: 'Thanh toan' };
    const signed = { ...cb, vnp_SecureHashType: 'HmacSHA512', vnp_SecureHash: sign(cb, SECRET) };
    expect(verify(signed, SECRET)).toBe(true);
    expect(verify({ ...signed, vnp_SecureHash: signed.vnp_SecureHash.toUpperCase() }, SECRET)).toBe(true);
    expect(verify({ ...signed, vnp_Amount: '100' }, SECRET)).toBe(false);
    expect(verify({ ...cb, vnp_SecureHash: sign(cb, 'another-secret-another-secret') }, SECRET)).toBe(false);
    expect(verify(cb, SECRET)).toBe(false);
    expect(verify({ ...cb, vnp_SecureHash: 'zz' }, SECRET)).toBe(false);
    // An empty value does not take part in the signature.
    expect(sign({ ...cb, vnp_BankCode: '' }, SECRET)).toBe(sign(cb, SECRET));
    expect(hmacSha512(SECRET, signedData(cb))).toBe(sign(cb, SECRET));
  });

  it('reads amounts back in whole dong, success only when both codes say 00', () => {
    expect(readCallback({ vnp_Amount: '30500000', vnp_ResponseCode: '00', vnp_TransactionStatus: '00' })).toMatchObject({ amount: 305_000, success: true });
    expect(readCallback({ vnp_Amount: '30500050', vnp_ResponseCode: '00', vnp_TransactionStatus: '00' }).amount).toBeNaN();
    expect(readCallback({ vnp_Amount: '-1' }).amount).toBeNaN();
    expect(readCallback({ vnp_Amount: '100', vnp_ResponseCode: '00', vnp_TransactionStatus: '02' }).success).toBe(false);
    expect(readCallback({ vnp_Amount: '100', vnp_ResponseCode: '24', vnp_TransactionStatus: '00' }).success).toBe(false);
  });

  it('writes and reads times in GMT+7 whatever the server zone', () => {
    expect(vnpDate(new Date('2026-12-31T17:00:00Z'))).toBe('20270101000000');
    expect(parseVnpDate('20270101000000')?.toISOString()).toBe('2026-12-31T17:00:00.000Z');
    expect(parseVnpDate('2027-01-01')).toBeNull();
  });
});

describe('amounts in Vietnamese words', () => {
  it.each([
    [0, 'Không đồng'],
    [3_000, 'Ba nghìn đồng'],
    [15, 'Mười lăm đồng'],
    [21, 'Hai mươi mốt đồng'],
    [105, 'Một trăm linh năm đồng'],
    [305_000, 'Ba trăm linh năm nghìn đồng'],
    [1_005_000, 'Một triệu không trăm linh năm nghìn đồng'],
    [1_000_000, 'Một triệu đồng'],
    [135_000, 'Một trăm ba mươi lăm nghìn đồng'],
    [2_024_000_000, 'Hai tỷ không trăm hai mươi tư triệu đồng'],
  ])('%i → %s', (n, words) => expect(vndInWords(n)).toBe(words));
});
