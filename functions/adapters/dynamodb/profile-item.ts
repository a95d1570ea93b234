/**
 * The customer profile as the table keeps it (`CUST#<id>` / `PROFILE`): one item per customer, kept the
 * retention after the customer's last event, so every byte of it is paid per new customer
 * (docs/cost.md "Storage by need"). Stored without the customer id (its key holds it) and without an
 * empty consent; read back whole.
 */
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { CustomerProfile } from '#surveys/ports.ts';
import { fromItem } from './table/query.ts';
import { customerIdOf, keys } from './table/keys.ts';

/** The profile's own attributes, as written: `undefined` for what the item must not hold. */
export function storedProfile(profile: CustomerProfile): Omit<CustomerProfile, 'customerId'> {
  const { customerId: _key, consent, ...rest } = profile;
  return { ...rest, consent: consent && Object.keys(consent).length > 0 ? consent : undefined };
}

/** The profile an item holds, its customer id from the key (items written before kept it as an attribute too). */
export function profileFromItem(item: Record<string, unknown> | undefined): CustomerProfile | undefined {
  if (!item) return undefined;
  return { ...fromItem<CustomerProfile>(item), customerId: customerIdOf(String(item.pk)) };
}

/** The customer's profile; consistent for the trigger's claim (its version and marks). */
export async function readProfile(db: DynamoDBDocumentClient, tableName: string, customerId: string, consistent = false): Promise<CustomerProfile | undefined> {
  const { Item } = await db.send(new GetCommand({ TableName: tableName, Key: keys.profile(customerId), ...(consistent ? { ConsistentRead: true } : {}) }));
  return profileFromItem(Item);
}
