/**
 * The names of the default topics, apart from their cue words (taxonomy.ts): an alert message names its
 * topics (templates/alert.ts), and the functions that write alerts need ~1 KB of names, not ~6 KB of cues.
 */
import type { Lang } from './text.ts';

/** The default taxonomy's topic ids (the contract's ids, DESIGN.md); their cue words are in taxonomy.ts. */
export const DEFAULT_TOPIC_IDS = [
  'delivery',
  'packaging',
  'product',
  'price',
  'returns',
  'payment',
  'website',
  'support-speed',
  'agent',
  'communication',
] as const;
export type DefaultTopicId = (typeof DEFAULT_TOPIC_IDS)[number];

export const DEFAULT_TOPIC_LABELS: Record<DefaultTopicId, Record<Lang, string>> = {
  delivery: { pl: 'Dostawa', en: 'Delivery' },
  packaging: { pl: 'Opakowanie', en: 'Packaging' },
  product: { pl: 'Produkt', en: 'Product' },
  price: { pl: 'Cena', en: 'Price' },
  returns: { pl: 'Zwroty i reklamacje', en: 'Returns and complaints' },
  payment: { pl: 'Płatność', en: 'Payment' },
  website: { pl: 'Strona i aplikacja', en: 'Website and app' },
  'support-speed': { pl: 'Czas obsługi', en: 'Support speed' },
  agent: { pl: 'Konsultant', en: 'Agent' },
  communication: { pl: 'Komunikacja', en: 'Communication' },
};

/** The default taxonomy's labels of `ids` in `language`; an id it does not know is shown as it is. */
export function defaultTopicLabels(ids: string[], language: Lang): string[] {
  return ids.map((id) => DEFAULT_TOPIC_LABELS[id as DefaultTopicId]?.[language] ?? id);
}
