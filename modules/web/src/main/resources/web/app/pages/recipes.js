// Recipes: search, "what can I cook" from ingredients, recipe page with Kok products per ingredient, bookmarks.
import { h, render } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { api, query, currentUser } from '../api.js';
import { field, heading, errorBox, price, pager, say, loading } from '../ui.js';
import { track } from '../events.js';
import { recommendations } from '../recommend.js';

function meta(r) {
  return h('span', { class: 'meta' },
    t('recipes.minutes', { minutes: r.minutes }), ' · ', t('recipes.servings', { servings: r.servings }),
    r.difficulty ? [' · ', t(`difficulty.${r.difficulty}`)] : null);
}

function recipeCard(r, extra) {
  return h('li', { class: 'item recipe' },
    h('a', { href: `#/recipes/${r.id}`, class: 'name' }, r.title),
    r.summary ? h('span', { class: 'summary' }, r.summary) : null,
    meta(r), extra);
}

export function recipesPage(params, go) {
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', maxlength: 100 });
  const tag = h('input', { type: 'text', name: 'tag', value: params.get('tag') ?? '' });
  const maxMinutes = h('input', { type: 'number', name: 'maxMinutes', min: 1, value: params.get('maxMinutes') ?? '' });
  const results = h('div', { class: 'results' }, loading());
  const form = h('form', { class: 'filters', role: 'search', id: 'recipe-search' },
    field(t('recipes.query'), q), field(t('recipes.tag'), tag), field(t('recipes.maxMinutes'), maxMinutes),
    h('button', { type: 'submit' }, t('recipes.search')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`#/recipes${query({ q: q.value, tag: tag.value, maxMinutes: maxMinutes.value })}`);
  });
  const current = Object.fromEntries(params);
  api('GET', `/recipes${query(current)}`).then((r) => {
    if (current.q || current.tag) track('Recipes Searched', { query: current.q, tag: current.tag, total: r.total });
    render(results,
      h('p', { class: 'total' }, t('recipes.total', { total: formatNumber(r.total) })),
      r.items.length ? h('ul', { class: 'grid' }, r.items.map((x) => recipeCard(x))) : h('p', {}, t('recipes.none')),
      pager(r, (page) => `#/recipes${query({ ...current, page })}`));
  }).catch((e) => render(results, errorBox(e)));
  return [heading(t('recipes.title')), form, results];
}

export function cookPage(params, go) {
  const have = h('input', { type: 'text', name: 'have', value: params.get('have') ?? '', 'aria-describedby': 'cook-lead' });
  const results = h('div', { class: 'results' });
  const form = h('form', { class: 'filters', id: 'cook-form' },
    field(t('cook.have'), have), h('button', { type: 'submit' }, t('cook.submit')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const items = have.value.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
    go(`#/cook${query({ have: items.join(',') })}`);
  });
  const current = Object.fromEntries(params);
  if (current.have) {
    render(results, loading());
    api('GET', `/recipes/by-ingredients${query(current)}`).then((r) => {
      track('Recipes Searched', { ingredients: current.have.split(','), total: r.total });
      render(results,
        h('p', { class: 'total' }, t('recipes.total', { total: formatNumber(r.total) })),
        r.items.length ? h('ul', { class: 'grid', id: 'cook-results' }, r.items.map((m) => recipeCard(m.recipe, [
          h('span', { class: 'coverage' }, t('cook.coverage', { matched: m.matchedCount, needed: m.neededCount })),
          m.missing.length ? h('span', { class: 'missing' }, t('cook.missing', { names: m.missing.map((x) => x.name).join(', ') })) : null,
        ]))) : h('p', {}, t('recipes.none')),
        pager(r, (page) => `#/cook${query({ ...current, page })}`));
    }).catch((e) => render(results, errorBox(e)));
  }
  return [heading(t('cook.title')), h('p', { id: 'cook-lead' }, t('cook.lead')), form, results];
}

export function recipePage(params, go, id) {
  const title = heading('');
  const body = h('div', {}, loading());
  api('GET', `/recipes/${encodeURIComponent(id)}`).then(async (r) => {
    title.textContent = r.title;
    document.title = `${r.title} · Plaza`;
    track('Recipe Viewed', { recipeId: r.id, title: r.title });
    let marked = false;
    if (currentUser()) {
      const list = await api('GET', '/recipes/bookmarks?size=100').catch(() => ({ items: [] }));
      marked = list.items.some((e) => e.recipe.id === r.id);
    }
    const mark = h('button', { type: 'button', id: 'bookmark' });
    const label = () => { mark.textContent = marked ? t('recipe.unbookmark') : t('recipe.bookmark'); mark.setAttribute('aria-pressed', String(marked)); };
    label();
    mark.addEventListener('click', async () => {
      if (!currentUser()) return go(`#/login${query({ next: `#/recipes/${r.id}` })}`);
      try {
        await api(marked ? 'DELETE' : 'PUT', `/recipes/bookmarks/${r.id}`);
        marked = !marked;
        label();
        say(marked ? t('recipe.bookmarked') : t('recipe.unbookmarked'));
      } catch (e) {
        body.append(errorBox(e));
      }
    });
    render(body,
      r.summary ? h('p', { class: 'lead' }, r.summary) : null,
      h('p', {}, meta(r)),
      mark,
      h('h2', {}, t('recipe.ingredients')),
      r.productsUnavailable ? h('p', { class: 'note' }, t('recipe.productsUnavailable')) : null,
      h('ul', { class: 'ingredients' }, r.ingredients.map((i) => h('li', {},
        h('span', { class: 'ingredient' }, i.name), ' ', i.quantity ?? '', i.optional ? [' ', t('recipe.optional')] : null,
        i.products?.length ? h('ul', { class: 'buy', 'aria-label': `${t('recipe.products')}: ${i.name}` },
          i.products.map((p) => h('li', {}, h('a', { href: `#/products/${p.id}` }, p.name), ' ', price(p)))) : null))),
      h('h2', {}, t('recipe.steps')),
      h('ol', { class: 'steps' }, r.steps.map((s) => h('li', {}, s))),
      r.tags?.length ? h('p', { class: 'tags' }, r.tags.map((tag) => h('a', { href: `#/recipes${query({ tag })}`, class: 'tag' }, tag))) : null);
  }).catch((e) => render(body, errorBox(e)));
  return [title, body, recommendations(`/recommend/recipes/${encodeURIComponent(id)}/related`, 'recipe', t('rec.relatedRecipes'), 'related-recipes')];
}

export function bookmarksPage(params, go) {
  if (!currentUser()) return go(`#/login${query({ next: '#/bookmarks' })}`);
  const body = h('div', {}, loading());
  api('GET', `/recipes/bookmarks${query({ page: params.get('page') })}`).then((r) => {
    if (!r.items.length) return render(body, h('p', {}, t('bookmarks.empty')));
    render(body, h('ul', { class: 'grid', id: 'bookmarks' }, r.items.map((e) => recipeCard(e.recipe))),
      pager({ ...r, totalPages: Math.ceil(r.total / r.size) }, (p) => `#/bookmarks?page=${p}`));
  }).catch((e) => render(body, errorBox(e)));
  return [heading(t('bookmarks.title')), body];
}
