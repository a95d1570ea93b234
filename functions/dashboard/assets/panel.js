/**
 * The skeleton of a panel that shows one API answer: fetch it, show the panel's empty text when the answer
 * holds nothing, else the nodes `build` makes of it; `after` nodes (a hint) follow either way. Answers the
 * count of things shown, which the page and the tests read.
 *
 *   renderFetched(container, { api, path, count, empty, build, after }) → Promise<number>
 */
import { element } from './dom.js';

export async function renderFetched(container, { api, path, count, empty, build, after = [] }) {
  const answer = await api.get(path);
  const shown = count(answer);
  if (!shown) {
    container.replaceChildren(element('p', { className: 'empty', textContent: empty(answer) }), ...after);
    return 0;
  }
  container.replaceChildren(...build(answer), ...after);
  return shown;
}
