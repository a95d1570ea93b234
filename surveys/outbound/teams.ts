/**
 * A Microsoft Teams message for a Workflows webhook ("When a Teams webhook request is received"):
 * `{ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: <Adaptive Card> }] }`.
 * Teams: https://learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
 * (Workflows post Adaptive Cards only) and .../task-modules-and-cards/cards/cards-format (TextBlock and
 * Fact values are Markdown). Customer text therefore never goes into a TextBlock or a Fact: it is a
 * TextRun of a RichTextBlock, which Adaptive Cards render as plain text (adaptivecards.io TextRun),
 * one block per line, the comment inside an emphasised container. Version 1.4: what Teams renders.
 */
import type { Language } from '../model.ts';
import type { OutboundEvent } from './events.ts';
import { eventView } from './view.ts';

type Element = Record<string, unknown>;

const run = (text: string, extra: Element = {}): Element => ({ type: 'TextRun', text, ...extra });
const line = (...inlines: Element[]): Element => ({ type: 'RichTextBlock', inlines });

export function teamsMessage(event: OutboundEvent, language: Language): Record<string, unknown> {
  const view = eventView(event, language);
  // The headline can name a lead (the owner): a TextRun too.
  const body: Element[] = [line(run(view.headline, { size: 'Medium', weight: 'Bolder' }))];
  if (view.intro) body.push({ type: 'TextBlock', text: view.intro, wrap: true, isSubtle: true });
  if (view.comment.length) {
    body.push({ type: 'Container', style: 'emphasis', items: view.comment.map((l) => line(run(l || ' ', { italic: true }))) });
  } else if (view.noComment) {
    body.push(line(run(view.noComment, { isSubtle: true })));
  }
  for (const f of view.fields) body.push(line(run(`${f.label}: `, { weight: 'Bolder' }), run(f.value)));
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          ...(view.link ? { actions: [{ type: 'Action.OpenUrl', title: view.link.label, url: view.link.url }] } : {}),
          msteams: { width: 'Full' },
        },
      },
    ],
  };
}
