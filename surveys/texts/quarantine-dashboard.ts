/**
 * Texts of the dashboard's rejected-input panel (functions/dashboard/assets/quarantine-panel.js), in
 * both languages: how many inputs were kept in quarantine in the last 14 days, by reason, and how to
 * list and replay them. Placeholders in braces are filled by the page's script.
 */
import type { Language } from '../model.ts';

export interface QuarantineDashboardTexts {
  title: string;
  /** {count} {days} */
  total: string;
  /** {days} */
  none: string;
  columns: { source: string; reason: string; count: string };
  /** {replayed} */
  replayed: string;
  /** How to list, read and replay them (the API routes, shown as code). */
  hint: string;
  listCommand: string;
}

export const QUARANTINE_TEXTS: Record<Language, QuarantineDashboardTexts> = {
  en: {
    title: 'Rejected input',
    total: '{count} kept in the last {days} days',
    none: 'Nothing rejected in the last {days} days',
    columns: { source: 'Source', reason: 'Reason', count: 'Count' },
    replayed: '{replayed} replayed',
    hint: 'List them (newest first, without payloads), fix the cause, then replay one: POST /api/quarantine/{id}/replay. docs/webhooks.md, "Rejected input".',
    listCommand: 'GET /api/quarantine?source=…&since=…',
  },
  pl: {
    title: 'Odrzucone dane',
    total: '{count} zatrzymanych w ostatnich {days} dniach',
    none: 'Nic nie odrzucono w ostatnich {days} dniach',
    columns: { source: 'Źródło', reason: 'Powód', count: 'Liczba' },
    replayed: 'ponowione: {replayed}',
    hint: 'Lista (najnowsze najpierw, bez treści), usuń przyczynę, potem ponów jedno: POST /api/quarantine/{id}/replay. docs/webhooks.md, „Rejected input”.',
    listCommand: 'GET /api/quarantine?source=…&since=…',
  },
};
