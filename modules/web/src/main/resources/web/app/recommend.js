// Recommendations from the recommend service (/recommend/…), shown only when it answers: a 404 or 503 (not
// deployed yet, rebuilding), an error or an empty answer leave the section out without a word. Each click
// is tracked with the answer's recommId, so recommend can tell which of its suggestions worked.
import { h } from './dom.js';
import { t } from './i18n.js';
import { api } from './api.js';
import { track } from './events.js';

const REASONS = {
  because_you_viewed: 'rec.becauseViewed', bought_together: 'rec.boughtTogether', similar_text: 'rec.similar',
  popular: 'rec.popular', on_air: 'rec.onAir', exploration: 'rec.exploration',
};

/** The item's kind, id and display name, whatever the answer nests them in. */
function describe(item, kind) {
  const product = item.product ?? (item.type === 'product' || item.kind === 'product' ? item : null);
  const recipe = item.recipe ?? (item.type === 'recipe' || item.kind === 'recipe' ? item : null);
  const it = product ?? recipe ?? item;
  const type = product ? 'product' : recipe ? 'recipe' : kind;
  const id = it.id ?? it.productId ?? it.recipeId ?? item.id;
  const name = it.name ?? it.title;
  return id === undefined || !name ? null : { type, id, name };
}

/**
 * A section for `path` (e.g. '/recommend/for-you?scenario=home'), empty and hidden until the answer comes;
 * kind ('product' or 'recipe') is what its items are when they do not say.
 */
export function recommendations(path, kind, title, id) {
  const list = h('ul', { class: 'grid recs' });
  const section = h('section', { class: 'recommendations', id, hidden: true, 'aria-labelledby': `${id}-h` },
    h('h2', { id: `${id}-h` }, title), list);
  api('GET', path).then((r) => {
    const items = (r?.items ?? []).map((item) => ({ item, d: describe(item, kind) })).filter((x) => x.d).slice(0, 8);
    if (!items.length) return;
    list.replaceChildren(...items.map(({ item, d }, position) => {
      const href = d.type === 'recipe' ? `#/recipes/${d.id}` : `#/products/${d.id}`;
      const link = h('a', { href, class: 'name' }, d.name);
      link.addEventListener('click', () => track(d.type === 'recipe' ? 'Recipe Clicked' : 'Product Clicked', {
        [d.type === 'recipe' ? 'recipeId' : 'productId']: d.id, recommId: r.recommId, position, list: id,
        reason: item.reasons?.[0]?.type,
      }));
      const why = REASONS[item.reasons?.[0]?.type];
      return h('li', { class: 'item' }, link, why ? h('span', { class: 'meta' }, t(why)) : null);
    }));
    section.hidden = false;
  }).catch(() => {});
  return section;
}
