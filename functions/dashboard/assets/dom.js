/**
 * The two helpers every dashboard panel uses: `fill` puts values into a text's `{name}` places, and
 * `element` builds an element from properties and children. Both set text, never HTML.
 */
export const fill = (template, vars) => template.replace(/\{(\w+)\}/g, (whole, k) => (k in vars ? String(vars[k]) : whole));

export function element(tag, props = {}, children = []) {
  const el = Object.assign(document.createElement(tag), props);
  el.append(...children);
  return el;
}
