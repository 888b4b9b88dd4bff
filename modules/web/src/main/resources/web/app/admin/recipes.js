// Admin: recipes — search, create, edit, delete, JSON Lines import (docs/recipe.md). Ingredients are typed
// one per line as "name | quantity | optional", steps one per line, tags comma-separated.
import { h, render } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { api, query } from '../api.js';
import { field, errorBox, pager, say, loading } from '../ui.js';
import { adminOnly, adminPage, importForm, onSubmit, deleteButton, table, whole, words, lines } from './common.js';

const SECTION = '#/admin/recipes';
const DIFFICULTIES = ['easy', 'medium', 'hard'];
const OPTIONAL = new Set(['선택', 'optional', 'y', 'yes', 'true']);

function ingredientLine(i) {
  return [i.name, i.quantity ?? '', i.optional ? t('admin.recipe.optionalWord') : ''].join(' | ').replace(/( \| )+$/, '');
}

function parseIngredient(line) {
  const [name, quantity, optional] = line.split('|').map((s) => s.trim());
  return { name, quantity: quantity || null, optional: OPTIONAL.has((optional ?? '').toLowerCase()) };
}

export function adminRecipesPage(params, go) {
  return adminOnly(go, `${SECTION}${query(Object.fromEntries(params))}`, () => {
    const q = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', maxlength: 100 });
    const form = h('form', { class: 'filters', role: 'search', id: 'admin-recipe-search' },
      field(t('admin.search'), q), h('button', { type: 'submit' }, t('admin.searchSubmit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      go(`${SECTION}${query({ q: q.value })}`);
    });
    const results = h('div', {}, loading());
    const current = { q: params.get('q'), page: params.get('page') };
    api('GET', `/recipes${query({ ...current, size: 50 })}`).then((r) => {
      render(results,
        h('p', { class: 'total' }, t('recipes.total', { total: formatNumber(r.total) })),
        r.items.length ? table('admin-recipes', t('admin.recipes'),
          [t('admin.id'), t('admin.recipe.title'), t('admin.recipe.minutes'), t('admin.recipe.difficulty'), t('admin.actions')],
          r.items, (x) => [String(x.id), h('a', { href: `${SECTION}/${x.id}`, class: 'name' }, x.title),
            t('recipes.minutes', { minutes: x.minutes }), x.difficulty ? t(`difficulty.${x.difficulty}`) : '',
            deleteButton(x.title, async () => {
              await api('DELETE', `/recipes/${x.id}`);
              say(t('admin.deleted', { name: x.title }));
              go(`${SECTION}${query(current)}`);
            })]) : h('p', {}, t('recipes.none')),
        pager(r, (page) => `${SECTION}${query({ ...current, page })}`));
    }).catch((e) => render(results, errorBox(e)));
    return adminPage(t('admin.recipes'), SECTION,
      h('p', { class: 'actions' }, h('a', { href: `${SECTION}/new`, class: 'button', id: 'new-recipe' }, t('admin.recipe.new')),
        ' ', h('a', { href: `${SECTION}/import`, class: 'button secondary', id: 'import-recipes' }, t('admin.import.title'))),
      form, results);
  });
}

export function adminRecipeImportPage(params, go) {
  return adminOnly(go, `${SECTION}/import`, () => adminPage(t('admin.recipe.import'), SECTION,
    h('p', {}, h('a', { href: SECTION }, t('admin.back'))),
    importForm('/recipes/import', 'recipe-import')));
}

export function adminRecipePage(params, go, id) {
  const creating = id === undefined;
  return adminOnly(go, creating ? `${SECTION}/new` : `${SECTION}/${id}`, () => {
    const f = {
      title: h('input', { type: 'text', name: 'title', required: true, maxlength: 200 }),
      summary: h('input', { type: 'text', name: 'summary', maxlength: 500 }),
      servings: h('input', { type: 'number', name: 'servings', min: 1, inputmode: 'numeric' }),
      minutes: h('input', { type: 'number', name: 'minutes', min: 1, inputmode: 'numeric' }),
      difficulty: h('select', { name: 'difficulty' }, h('option', { value: '' }, '—'),
        DIFFICULTIES.map((d) => h('option', { value: d }, t(`difficulty.${d}`)))),
      imageUrl: h('input', { type: 'url', name: 'imageUrl', maxlength: 500 }),
      ingredients: h('textarea', { name: 'ingredients', rows: 6, required: true, 'aria-describedby': 'ingredients-hint' }),
      steps: h('textarea', { name: 'steps', rows: 6, required: true, 'aria-describedby': 'steps-hint' }),
      tags: h('input', { type: 'text', name: 'tags', 'aria-describedby': 'tags-hint' }),
    };
    const form = h('form', { class: 'form wide', id: 'recipe-form' },
      field(t('admin.recipe.title'), f.title), field(t('admin.recipe.summary'), f.summary),
      field(t('admin.recipe.servings'), f.servings), field(t('admin.recipe.minutes'), f.minutes),
      field(t('admin.recipe.difficulty'), f.difficulty), field(t('admin.recipe.imageUrl'), f.imageUrl),
      field(t('admin.recipe.ingredients'), f.ingredients), h('p', { id: 'ingredients-hint', class: 'meta' }, t('admin.recipe.ingredientsHint')),
      field(t('admin.recipe.steps'), f.steps), h('p', { id: 'steps-hint', class: 'meta' }, t('admin.recipe.stepsHint')),
      field(t('admin.recipe.tags'), f.tags), h('p', { id: 'tags-hint', class: 'meta' }, t('admin.commaHint')),
      h('button', { type: 'submit' }, creating ? t('admin.create') : t('admin.save')));
    onSubmit(form, async () => {
      const body = {
        title: f.title.value, summary: f.summary.value || null, servings: whole(f.servings), minutes: whole(f.minutes),
        difficulty: f.difficulty.value || null, imageUrl: f.imageUrl.value || null,
        ingredients: lines(f.ingredients.value).map(parseIngredient), steps: lines(f.steps.value), tags: words(f.tags.value),
      };
      const saved = await api(creating ? 'POST' : 'PUT', creating ? '/recipes' : `/recipes/${id}`, body);
      say(t(creating ? 'admin.created' : 'admin.saved', { name: saved.title }));
      go(`${SECTION}/${saved.id}`);
    });
    const body = h('div', {}, creating ? form : loading());
    if (!creating) {
      api('GET', `/recipes/${encodeURIComponent(id)}`).then((r) => {
        for (const k of ['title', 'summary', 'servings', 'minutes', 'difficulty', 'imageUrl']) f[k].value = r[k] ?? '';
        f.ingredients.value = r.ingredients.map(ingredientLine).join('\n');
        f.steps.value = r.steps.join('\n');
        f.tags.value = (r.tags ?? []).join(', ');
        render(body, h('p', {}, h('a', { href: `#/recipes/${r.id}` }, t('admin.viewInShop'))), form);
      }).catch((e) => render(body, errorBox(e)));
    }
    return adminPage(creating ? t('admin.recipe.new') : t('admin.recipe.edit'), SECTION,
      h('p', {}, h('a', { href: SECTION }, t('admin.back'))), body);
  });
}
