import { describe, expect, it } from 'vitest';
import { assertPublicProviderUrl, isNonPublicAddress } from '../src/domain/auth/provider-address.js';

/** An org's staff identity provider is fetched on its ADMIN's word: never inside the server's own network. */
describe('the addresses a staff identity provider may be fetched at', () => {
  it('refuses this machine, private networks, link-local (cloud metadata) and mapped or special ranges', () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.9', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', '::', 'fd00::1', 'fe80::1', '::ffff:10.0.0.1', '::ffff:7f00:1', 'not-an-ip']) {
      expect(isNonPublicAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:5db8:d822']) expect(isNonPublicAddress(address), address).toBe(false);
  });

  it('refuses an https URL at such an address before any request, and lets a public one through', async () => {
    for (const url of ['https://127.0.0.1:8443/.well-known/openid-configuration', 'https://[::1]/keys', 'https://169.254.169.254/latest/meta-data', 'https://10.0.0.5/jwks']) {
      await expect(assertPublicProviderUrl(url), url).rejects.toThrow(/not on a public address/);
    }
    await expect(assertPublicProviderUrl('https://93.184.216.34/.well-known/openid-configuration')).resolves.toBeUndefined();
    // Plain http is only ever allowed to this machine (tests, development), and is not looked at here.
    await expect(assertPublicProviderUrl('http://127.0.0.1:4455/.well-known/openid-configuration')).resolves.toBeUndefined();
  });
});
