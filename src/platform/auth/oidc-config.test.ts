import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.ts';

/** The OpenID Connect settings: a real provider by configuration, the development one by default only for the demo. */
const base = { EGOV_SECRET: 's'.repeat(32), EGOV_DATA_DIR: '/tmp/egov-unused' };

describe('OIDC configuration', () => {
  it('signs in with the development provider on a first `npm start` (EGOV_DEMO=auto), not in tests or production', () => {
    const demo = loadConfig({ ...base, PORT: '3000' });
    expect(demo.devIdp).toEqual({ enabled: true, port: 3001 });
    expect(demo.oidc).toMatchObject({ issuer: 'http://localhost:3001', clientId: 'egov-portal', redirectUri: 'http://localhost:3000/auth/vneid/callback', scopes: 'openid profile' });
    // The portal and the provider's process derive the same client secret from the shared secret.
    expect(demo.oidc?.clientSecret).toBe(loadConfig(base).oidc?.clientSecret);
    expect(demo.oidc?.clientSecret).not.toBe(loadConfig({ ...base, EGOV_SECRET: 't'.repeat(32) }).oidc?.clientSecret);

    expect(loadConfig({ ...base, EGOV_DEMO: 'on' })).toMatchObject({ oidc: null, devIdp: { enabled: false } });
    expect(loadConfig({ ...base, EGOV_DEMO: 'off' }).oidc).toBeNull();
    expect(loadConfig({ ...base, EGOV_DEMO: 'on', EGOV_DEV_IDP: 'on', EGOV_DEV_IDP_PORT: '4001' }).oidc?.issuer).toBe('http://localhost:4001');
  });

  it('takes a real provider (VNeID) from the environment, with its claim names', () => {
    const config = loadConfig({
      ...base,
      OIDC_ISSUER: 'https://sso.example.gov.vn',
      OIDC_CLIENT_ID: 'hanoi-portal',
      OIDC_CLIENT_SECRET: 'secret',
      EGOV_PUBLIC_URL: 'https://dichvucong.example.vn/',
      OIDC_SCOPES: 'openid profile citizen',
      OIDC_CLAIM_PERSONAL_ID: 'so_dinh_danh',
    });
    expect(config.devIdp.enabled).toBe(false);
    expect(config.oidc).toEqual({
      issuer: 'https://sso.example.gov.vn',
      clientId: 'hanoi-portal',
      clientSecret: 'secret',
      redirectUri: 'https://dichvucong.example.vn/auth/vneid/callback',
      scopes: 'openid profile citizen',
      claims: { personalId: 'so_dinh_danh', name: 'name', birthDate: 'birthdate', gender: 'gender' },
      timeoutMs: 10_000,
    });
    // A public client: PKCE only.
    expect(loadConfig({ ...base, OIDC_ISSUER: 'https://sso.example.gov.vn', OIDC_CLIENT_ID: 'x' }).oidc?.clientSecret).toBeUndefined();
  });

  it('names what is missing or wrong', () => {
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'https://sso.example.gov.vn' })).toThrow(/OIDC_CLIENT_ID/);
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'https://sso.example.gov.vn', OIDC_CLIENT_ID: 'x', OIDC_SCOPES: 'profile' })).toThrow(/OIDC_SCOPES/);
    expect(() => loadConfig({ ...base, OIDC_ISSUER: 'not a url' })).toThrow(ConfigError);
  });
});
