/**
 * The comments feed: the latest comments (GET /api/comments?days=7) with their score, category,
 * survey, segment and time in the reader's time zone and language. Every comment is set as text,
 * never as HTML; nothing naming the customer is shown (the API sends none).
 *
 *   renderCommentsFeed(container, { api, texts, language }) → Promise<number> (comments shown)
 */
import { element, fill } from './dom.js';

export async function renderCommentsFeed(container, { api, texts, language }) {
  const t = texts.comments;
  const comments = await api.get('/api/comments?days=7&limit=30');
  if (!Array.isArray(comments) || comments.length === 0) {
    container.replaceChildren(element('p', { className: 'empty', textContent: t.empty }));
    return 0;
  }
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const list = element('ol', { className: 'comments-feed', id: 'comments-feed' });
  for (const c of comments) {
    const segment = Object.values(c.segments ?? {}).join(' · ');
    const meta = element('p', { className: 'comment-meta' }, [
      element('span', {
        className: `score category-${c.category}`,
        textContent: fill(t.score, { score: c.score, category: t.categories[c.category] ?? c.category }),
      }),
      ` · ${c.survey}${segment ? ` · ${segment}` : ''} · `,
      element('time', { dateTime: c.at, textContent: when.format(new Date(c.at)) }),
    ]);
    const item = element('li', {}, [element('blockquote', { textContent: c.comment }), meta]);
    item.dataset.category = c.category;
    list.append(item);
  }
  container.replaceChildren(list);
  return comments.length;
}
