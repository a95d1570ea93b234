/**
 * The comments feed: the latest comments (GET /api/comments?days=7) with their score, category,
 * survey, segment and time in the reader's time zone and language. Every comment is set as text,
 * never as HTML; nothing naming the customer is shown (the API sends none).
 *
 *   renderCommentsFeed(container, { api, texts, language }) → Promise<number> (comments shown)
 */
import { element, fill } from './dom.js';
import { renderFetched } from './panel.js';

export async function renderCommentsFeed(container, { api, texts, language }) {
  const t = texts.comments;
  const when = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });
  const item = (c) => {
    const segment = Object.values(c.segments ?? {}).join(' · ');
    const meta = element('p', { className: 'comment-meta' }, [
      element('span', {
        className: `score category-${c.category}`,
        textContent: fill(t.score, { score: c.score, category: t.categories[c.category] ?? c.category }),
      }),
      ` · ${c.survey}${segment ? ` · ${segment}` : ''} · `,
      element('time', { dateTime: c.at, textContent: when.format(new Date(c.at)) }),
    ]);
    const li = element('li', {}, [element('blockquote', { textContent: c.comment }), meta]);
    li.dataset.category = c.category;
    return li;
  };
  return renderFetched(container, {
    api,
    path: '/api/comments?days=7&limit=30',
    count: (comments) => (Array.isArray(comments) ? comments.length : 0),
    empty: () => t.empty,
    build: (comments) => [element('ol', { className: 'comments-feed', id: 'comments-feed' }, comments.map(item))],
  });
}
