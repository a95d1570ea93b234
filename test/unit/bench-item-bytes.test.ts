/**
 * The storage figures of the cost model (bench/item-bytes.ts): item sizes as DynamoDB counts them, index
 * copies by projection, and the table's own share that point-in-time recovery bills (no global indexes).
 */
import { describe, expect, it } from 'vitest';
import { itemBytes, storedByKind } from '../../bench/item-bytes.ts';

const NOW = 1_800_000_000;
const MONTH_SECONDS = 30.44 * 86_400;

describe('stored byte-months', () => {
  it('counts the keys and the named attributes in GSI1 (INCLUDE), the keys in GSI2 (KEYS_ONLY), and only the table for point-in-time recovery', () => {
    // Prepare: a response-like item in both indexes, expiring in two months
    const item = {
      pk: 'INV#abc',
      sk: 'RESPONSE',
      gsi1pk: 'RESPONSES#2026-12-01#3',
      gsi1sk: '2026-12-01T10:00:00.000Z#abc',
      gsi2pk: 'CUST#c-1',
      gsi2sk: '2026-12-01T10:00:00.000Z#RESP#abc',
      customerId: 'c-1',
      segments: { team: 'returns' },
      comment: 'x'.repeat(300),
      expiresAtEpoch: NOW + 2 * MONTH_SECONDS,
    };
    const included = itemBytes({ pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk, customerId: item.customerId, segments: item.segments });
    const keysOnly = itemBytes({ pk: item.pk, sk: item.sk, gsi2pk: item.gsi2pk, gsi2sk: item.gsi2sk });
    // Act
    const [stored] = storedByKind([item], () => 'response', NOW, 400);
    // Assess: the comment is in the table only
    const bytes = itemBytes(item);
    expect(included).toBeLessThan(bytes - 300);
    expect(stored!.indexCopies).toBe(2);
    expect(stored!.tableByteMonths).toBeCloseTo((bytes + 100) * 2, 6);
    expect(stored!.byteMonths).toBeCloseTo((bytes + 100 + (included + 100) + (keysOnly + 100)) * 2, 6);
  });

  it('keeps an item without a TTL for the retention', () => {
    // Prepare
    const item = { pk: 'CUST#c-1', sk: 'PROFILE', name: 'Ola' };
    // Act
    const [stored] = storedByKind([item], () => 'profile', NOW, 365.25);
    // Assess: no index copy, so the table's share is the whole
    expect(stored!.months).toBeCloseTo(12, 1);
    expect(stored!.tableByteMonths).toBe(stored!.byteMonths);
  });
});
