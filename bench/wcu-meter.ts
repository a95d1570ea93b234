/**
 * The capacity side of bench/lifecycle-wcu.ts: the kind of an item from its key, the units a call
 * consumed, and the AWS price of a transaction (DynamoDB Local reports less).
 */
import { itemBytes } from './item-bytes.ts';

/** The kind of an item from its key (functions/adapters/dynamodb/table/keys.ts, listed in table/ITEMS.md), marshalled or not. */
export function kindOf(key: Record<string, unknown> | undefined): string {
  const text = (v: unknown) => (typeof v === 'string' ? v : ((v as { S?: string } | undefined)?.S ?? '?'));
  const pk = text(key?.pk).split('#')[0]!;
  const sk = text(key?.sk).split('#')[0]!;
  const named: Record<string, string> = {
    'INV/INVITATION': 'invitation',
    'INV/RESPONSE': 'response',
    'INV/OPENS': 'link opens',
    'EVENT/EVENT': 'event dedupe',
    'CUST/PROFILE': 'customer profile',
    'CUST/HEALTH': 'customer health',
    'CUST/EMAIL': 'e-mail lookup',
    'EMAIL/CUST': 'e-mail lookup',
    'AGG/DAY': 'score page',
    'ALERT/ALERT': 'alert',
    'RATE/W': 'rate-limit counter',
    'SUBJECT/INV': 'subject link',
    'SHORT/SHORTLINK': 'SMS short link',
    'SMSTO/LATEST': 'SMS number → survey',
    'SMSIN/SMSIN': 'kept inbound SMS',
  };
  return named[`${pk}/${sk}`] ?? `${pk}/${sk}`;
}

export function kindsOf(commandName: string, input: Record<string, any>): string {
  if (commandName.startsWith('TransactWrite')) {
    const items = (input.TransactItems as Array<Record<string, any>>).map((t) => {
      const op = t.Put ?? t.Update ?? t.Delete ?? t.ConditionCheck;
      return kindOf(op.Item ?? op.Key) + (t.ConditionCheck ? ' (check)' : '');
    });
    return `transaction: ${[...new Set(items)].sort().join(' + ')}`;
  }
  if (commandName.startsWith('BatchWrite')) return 'batch write';
  return kindOf(input.Item ?? input.Key);
}

interface Consumed {
  CapacityUnits?: number;
  GlobalSecondaryIndexes?: Record<string, { CapacityUnits?: number }>;
}
const listOf = (consumed: unknown) => (Array.isArray(consumed) ? consumed : consumed ? [consumed] : []) as Consumed[];
export const unitsOf = (consumed: unknown) => listOf(consumed).reduce((sum, c) => sum + (c.CapacityUnits ?? 0), 0);
const indexUnitsOf = (consumed: unknown) =>
  listOf(consumed).reduce((sum, c) => sum + Object.values(c.GlobalSecondaryIndexes ?? {}).reduce((s, i) => s + (i.CapacityUnits ?? 0), 0), 0);

const TYPES = new Set(['S', 'N', 'BOOL', 'NULL', 'M', 'L', 'SS', 'NS', 'B', 'BS']);
/** A value as the document client sees it, whether or not it was already marshalled ({ S: 'x' } → 'x'). */
function plain(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1 && TYPES.has(entries[0]![0])) {
    const [type, v] = entries[0]!;
    if (type === 'N') return Number(v);
    if (type === 'M') return plain(v);
    if (type === 'L') return (v as unknown[]).map(plain);
    if (type === 'SS' || type === 'NS' || type === 'BS') return new Set(v as unknown[]);
    return type === 'NULL' ? null : v;
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, plain(v)]));
}

/**
 * DynamoDB Local reports fewer table units for a transaction than AWS bills (AWS: two writes, prepare
 * and commit, per item per started KB). The AWS figure is rebuilt from the request: 2 × ⌈size / 1 KB⌉
 * per item (a Put's size as DynamoDB counts it, bench/item-bytes.ts; anything else taken as one KB),
 * plus the index units DynamoDB Local reported.
 */
export function awsTransactionUnits(input: Record<string, any>, consumed: unknown): number {
  const items = input.TransactItems as Array<Record<string, any>>;
  const size = (item: Record<string, unknown>) => itemBytes(plain(item) as Record<string, unknown>);
  const table = items.reduce((sum, t) => sum + 2 * (t.Put ? Math.max(1, Math.ceil(size(t.Put.Item) / 1024)) : 1), 0);
  return table + indexUnitsOf(consumed);
}
