/**
 * Reading the settings file: JSON text → validated Settings, or errors a person can fix without
 * reading code: each names the file, line and column, the field (`surveys[1].channels[0]`), what is
 * wrong, and the allowed values or fields. Pure: the caller reads the file (local/, infra/).
 *
 * JSON, not YAML: no parser to add to every Lambda bundle, editors complete and check it from the
 * generated JSON Schema (`"$schema"`), and every language reads it. docs/settings.md holds the
 * comments JSON cannot.
 */
import * as z from '../zod.ts';
import { type Settings, settingsSchema } from './schema.ts';

export class SettingsError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'} in the surveys settings\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'SettingsError';
  }
}

type PathKey = string;
const keyOf = (path: readonly PropertyKey[]) => path.map(String).join('\u0000');

/** Where each value (and each object's key) starts: "line:column" by path. A small scanner over valid JSON. */
export function jsonPositions(text: string): Map<PathKey, { line: number; column: number }> {
  const positions = new Map<PathKey, { line: number; column: number }>();
  let i = 0;
  const at = (index: number) => {
    const before = text.slice(0, index).split('\n');
    return { line: before.length, column: before.at(-1)!.length + 1 };
  };
  const blank = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const string = () => {
    const start = i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (path: PropertyKey[]) => {
    blank();
    positions.set(keyOf(path), at(i));
    const c = text[i];
    if (c === '{') {
      i++;
      blank();
      while (text[i] !== '}' && i < text.length) {
        blank();
        const keyStart = i;
        const key = string();
        positions.set(keyOf([...path, key, '\u0001key']), at(keyStart));
        blank();
        i++; // ':'
        value([...path, key]);
        blank();
        if (text[i] === ',') i++;
        blank();
      }
      i++;
    } else if (c === '[') {
      i++;
      let index = 0;
      blank();
      while (text[i] !== ']' && i < text.length) {
        value([...path, index++]);
        blank();
        if (text[i] === ',') i++;
        blank();
      }
      i++;
    } else if (c === '"') {
      string();
    } else {
      while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
    }
  };
  value([]);
  return positions;
}

/** `surveys[1].channels[0]` */
export function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, p) => (typeof p === 'number' ? `${out}[${p}]` : out ? `${out}.${String(p)}` : String(p)), '') || '(the file)';
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, p) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined), raw);
}

function describe(issue: z.core.$ZodIssue, raw: unknown): string {
  if (issue.code === 'invalid_value') {
    return `${JSON.stringify(valueAt(raw, issue.path as PropertyKey[]))} is not allowed; allowed: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_type') return `${issue.message.replace(/^Invalid input: /, '')}`;
  return issue.message;
}

/** What allowedFields reads of a schema's definition. */
interface Def {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  shape?: Record<string, z.core.$ZodType>;
}
const defOf = (schema: z.core.$ZodType) => schema._zod.def as unknown as Def;

/** The schema under its optional, nullable, default and pipe wrappers. */
function unwrapped(schema: z.core.$ZodType | undefined): z.core.$ZodType | undefined {
  let node = schema;
  while (node) {
    const def = defOf(node);
    const inner = def.type === 'pipe' ? def.in : ['optional', 'nullable', 'default', 'prefault'].includes(def.type) ? def.innerType : undefined;
    if (!inner) return node;
    node = inner;
  }
  return node;
}

/**
 * The allowed field names of the object at `path` (for unknown-field errors), read from the zod schema
 * itself: not from its JSON Schema, whose generator would ship in every Lambda bundle.
 */
function allowedFields(path: readonly PropertyKey[]): string[] {
  let node = unwrapped(settingsSchema);
  for (const p of path) {
    if (!node) return [];
    const def = defOf(node);
    node = unwrapped(typeof p === 'number' ? def.element : def.type === 'record' ? def.valueType : def.shape?.[String(p)]);
  }
  const shape = node ? defOf(node).shape : undefined;
  return Object.keys(shape ?? {}).filter((k) => k !== '$schema');
}

export function parseSettings(text: string, file = 'surveys settings'): Settings {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    const where = position
      ? (() => {
          const before = text.slice(0, Number(position[1])).split('\n');
          return `${before.length}:${before.at(-1)!.length + 1}`;
        })()
      : '1:1';
    throw new SettingsError(file, [`${file}:${where} not valid JSON: ${message.replace(/ in JSON at position \d+.*$/, '')}`]);
  }
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const positions = jsonPositions(text);
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path as PropertyKey[];
    const firstKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    const pos = (firstKey !== undefined ? positions.get(keyOf([...path, firstKey, '\u0001key'])) : undefined) ?? nearest(positions, path);
    const allowed = issue.code === 'unrecognized_keys' ? `; allowed: ${allowedFields(path).join(', ')}` : '';
    return `${file}:${pos.line}:${pos.column} ${fieldName(path)}: ${describe(issue, raw)}${allowed}`;
  });
  throw new SettingsError(file, problems);
}

/** The position of the path, or of its closest parent that is in the file (a missing field is reported at its object). */
function nearest(positions: Map<PathKey, { line: number; column: number }>, path: readonly PropertyKey[]) {
  for (let n = path.length; n >= 0; n--) {
    const p = positions.get(keyOf(path.slice(0, n)));
    if (p) return p;
  }
  return { line: 1, column: 1 };
}

/** The JSON Schema of the file (editor autocompletion), from the same zod schema; `io: input` so defaults stay optional. */
export function settingsJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(settingsSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
