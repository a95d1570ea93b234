/**
 * What to tell a caller whose events have the wrong envelope. The usual mistake is sending the
 * EventBridge PutEvents request (`{ "Entries": [{ "Source", "DetailType", "Detail": "<JSON text>" }] }`)
 * to `POST /events`, which takes the events as EventBridge delivers them to a target.
 */
const EXPECTED = 'POST /events takes events as EventBridge delivers them to a target: { "source", "detail-type", "detail": { … } }, one or an array';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A hint for a whole request body, or undefined when its shape is plausible. */
export function requestEnvelopeHint(body: unknown): string | undefined {
  if (isObject(body) && Array.isArray(body.Entries)) return `this is a PutEvents request body ({ "Entries": [...] }): ${EXPECTED}`;
  return undefined;
}

/** A hint for one entry that failed validation, or undefined when its envelope is right. */
export function entryEnvelopeHint(entry: unknown): string | undefined {
  if (!isObject(entry)) return undefined;
  if ('DetailType' in entry || 'Detail' in entry || 'Source' in entry) {
    return `this entry has PutEvents' field names (Source, DetailType, Detail as JSON text): ${EXPECTED}`;
  }
  if (typeof entry.detail === 'string') return `detail: JSON text; send it as an object. ${EXPECTED}`;
  return undefined;
}
