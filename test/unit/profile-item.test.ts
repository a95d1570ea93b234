/** The customer profile as the table keeps it (functions/adapters/dynamodb/profile-item.ts): without what its key holds, read back whole. */
import { describe, expect, it } from 'vitest';
import { profileFromItem, storedProfile } from '../../functions/adapters/dynamodb/profile-item.ts';
import { keys } from '../../functions/adapters/dynamodb/table/keys.ts';
import type { CustomerProfile } from '../../surveys/ports.ts';

const profile: CustomerProfile = { customerId: 'shopify:7001', email: 'ala@example.com', locale: 'pl-PL', consent: { email: true }, version: 3 };

describe('the stored profile', () => {
  it('Should leave out the customer id, which its key holds, and an empty consent', () => {
    // Act
    const stored = storedProfile({ ...profile, consent: {} });

    // Assess
    expect(stored).not.toHaveProperty('customerId');
    expect(stored.consent).toBeUndefined();
    expect(storedProfile(profile).consent).toEqual({ email: true });
  });

  it('Should read a profile back whole, its id from the key, whether the item kept the id or not', () => {
    // Prepare
    const item = { ...keys.profile('shopify:7001'), entity: 'profile', expiresAtEpoch: 1_900_000_000, ...storedProfile(profile) };

    // Act
    const read = profileFromItem(item);
    const legacy = profileFromItem({ ...item, customerId: 'shopify:7001' });

    // Assess
    expect(read).toEqual(profile);
    expect(legacy).toEqual(profile);
    expect(profileFromItem(undefined)).toBeUndefined();
  });
});
