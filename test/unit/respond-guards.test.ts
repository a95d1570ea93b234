/** The respond function's guards: its configuration, the address a limit counts, and the cross-site check. */
import { describe, expect, it } from 'vitest';
import { crossSiteReason } from '../../functions/respond/guards.ts';
import { parseEnv } from '../../functions/shared/env.ts';
import { addressSubject } from '../../functions/shared/rate-limit.ts';
import type { HttpEvent } from '../../functions/shared/http.ts';

const BASE = 'https://surveys.shop.example';

function post(headers: Record<string, string | undefined>): HttpEvent {
  return { headers, requestContext: { domainName: 'abc123.execute-api.eu-central-1.amazonaws.com' } } as unknown as HttpEvent;
}

/** The survey links' part of the one configuration (functions/shared/env.ts), from these variables. */
const respondConfig = (environment: Record<string, string>) => parseEnv({ TABLE_NAME: 'ankieta', ...environment }).respond;

describe('configuration', () => {
  it('Should default to 120 requests a minute per address and 60 per link, with the published gateway networks', () => {
    // Act
    const config = respondConfig({});

    // Assess
    expect(config.limits).toEqual({ address: { scope: 'addr', limit: 120, windowSeconds: 60 }, link: { scope: 'link', limit: 60, windowSeconds: 60 } });
    expect(config.scannerNetworks.contains('40.107.1.1')).toBe(true);
    expect(config.scannerNetworks.contains('127.0.0.1')).toBe(false);
  });

  it('Should add SCANNER_NETWORKS to the published ones and read the limits', () => {
    // Act
    const config = respondConfig({ SCANNER_NETWORKS: '10.0.0.0/8, 2001:db8::/32', RATE_LIMIT_ADDRESS_PER_MINUTE: '5', RATE_LIMIT_LINK_PER_MINUTE: '7' });

    // Assess
    expect(config.scannerNetworks.contains('10.1.2.3')).toBe(true);
    expect(config.scannerNetworks.contains('2001:db8::1')).toBe(true);
    expect(config.scannerNetworks.contains('40.107.1.1')).toBe(true);
    expect([config.limits.address.limit, config.limits.link.limit]).toEqual([5, 7]);
  });

  it.each([
    [{ RATE_LIMIT_LINK_PER_MINUTE: '0' }, /RATE_LIMIT_LINK_PER_MINUTE/],
    [{ RATE_LIMIT_ADDRESS_PER_MINUTE: 'many' }, /RATE_LIMIT_ADDRESS_PER_MINUTE/],
    [{ SCANNER_NETWORKS: '10.0.0.0/40' }, /10\.0\.0\.0\/40/],
  ])('Should refuse the configuration %j, naming what is wrong', (environment, message) => {
    expect(() => respondConfig(environment)).toThrow(message);
  });
});

describe('the address a limit counts', () => {
  it.each([
    ['83.12.34.56', '83.12.34.56'],
    ['::ffff:83.12.34.56', '83.12.34.56'],
    ['2a00:f41:1234:5678:9abc:def0:1:2', '2a00:f41:1234:5678::/64'],
    ['2a00:f41:1234:5678::1', '2a00:f41:1234:5678::/64'],
    ['2A00:0F41:1234:5678:0:0:0:FFFF', '2a00:f41:1234:5678::/64'],
    ['2a00:f41::1', '2a00:f41:0:0::/64'],
    ['', 'unknown'],
    [undefined, 'unknown'],
  ])('Should count %j as %j', (ip, subject) => {
    expect(addressSubject(ip)).toBe(subject);
  });
});

describe('cross-site posts', () => {
  it.each([
    {
      name: 'our own form (Sec-Fetch-Site same-origin, Origin null under no-referrer)',
      headers: { 'sec-fetch-site': 'same-origin', origin: 'null' },
      refused: false,
    },
    { name: 'a browser without Fetch Metadata', headers: {}, refused: false },
    { name: 'a direct navigation (none)', headers: { 'sec-fetch-site': 'none' }, refused: false },
    { name: 'our public origin', headers: { origin: BASE }, refused: false },
    { name: 'the API host itself', headers: { origin: 'https://abc123.execute-api.eu-central-1.amazonaws.com' }, refused: false },
    { name: 'another site', headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' }, refused: true },
    { name: 'a sibling subdomain', headers: { 'sec-fetch-site': 'same-site' }, refused: true },
    { name: 'a foreign Origin without Fetch Metadata', headers: { origin: 'https://evil.example' }, refused: true },
    { name: 'an unknown Sec-Fetch-Site value', headers: { 'sec-fetch-site': 'bogus' }, refused: true },
  ])('Should $name be refused: $refused', ({ headers, refused }) => {
    expect(crossSiteReason(post(headers), BASE) !== undefined).toBe(refused);
  });
});
