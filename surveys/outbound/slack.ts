/**
 * A Slack incoming-webhook message (Block Kit) of an outbound event.
 * Slack: https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks (POST JSON `{ text, blocks }`)
 * and https://docs.slack.dev/messaging/formatting-message-text#escaping: in mrkdwn `&`, `<` and `>` are
 * control characters (`<url|text>` is a link, `<!channel>` pings everyone) and must be written as
 * `&amp;`, `&lt;`, `&gt;`. Customer text is escaped so, and the comment is a quote whose every line
 * starts with `>`, so no line of it can pass for the message's own.
 * Limits: header text 150 characters, section text 3,000, a field 2,000, at most 10 fields.
 */
import type { Language } from '../model.ts';
import type { OutboundEvent } from './events.ts';
import { eventView } from './view.ts';

export function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

export interface SlackMessage {
  text: string;
  blocks: Array<Record<string, unknown>>;
}

export function slackMessage(event: OutboundEvent, language: Language): SlackMessage {
  const view = eventView(event, language);
  const blocks: Array<Record<string, unknown>> = [{ type: 'header', text: { type: 'plain_text', text: clip(view.headline, 150), emoji: false } }];
  if (view.intro) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackEscape(view.intro) } });
  if (view.comment.length) {
    const quote = view.comment.map((line) => `>${slackEscape(line)}`).join('\n');
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(quote, 3000) } });
  } else if (view.noComment) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: slackEscape(view.noComment) }] });
  }
  if (view.fields.length) {
    blocks.push({
      type: 'section',
      fields: view.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: clip(`*${slackEscape(f.label)}*\n${slackEscape(f.value)}`, 2000) })),
    });
  }
  if (view.link) {
    blocks.push({
      type: 'actions',
      elements: [{ type: 'button', action_id: 'open_alert', style: 'primary', text: { type: 'plain_text', text: view.link.label }, url: view.link.url }],
    });
  }
  // `text` is the notification's fallback (and what screen readers announce): no customer text in it.
  return { text: view.headline, blocks };
}
