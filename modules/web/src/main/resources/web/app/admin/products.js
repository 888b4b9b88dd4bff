// Admin: Kok products — search, create, edit (PUT replaces: fields the form lacks are sent back as read),
// delete, JSON Lines import (docs/catalog.md).
import { h, render } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { api, query } from '../api.js';
import { field, errorBox, pager, say, loading } from '../ui.js';
import { adminOnly, adminPage, importForm, onSubmit, deleteButton, table, whole, words } from './common.js';

const SECTION = '#/admin/products';

export function adminProductsPage(params, go) {
  return adminOnly(go, `${SECTION}${query(Object.fromEntries(params))}`, () => {
    const q = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', maxlength: 100 });
    const form = h('form', { class: 'filters', role: 'search', id: 'admin-product-search' },
      field(t('admin.search'), q), h('button', { type: 'submit' }, t('admin.searchSubmit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      go(`${SECTION}${query({ q: q.value })}`);
    });
    const results = h('div', {}, loading());
    const current = { q: params.get('q'), page: params.get('page') };
    api('GET', `/kok/products${query({ ...current, sort: current.q ? 'relevance' : 'newest', size: 50 })}`).then((r) => {
      render(results,
        h('p', { class: 'total' }, t('products.total', { total: formatNumber(r.total) })),
        r.items.length ? table('admin-products', t('admin.products'),
          [t('admin.id'), t('admin.product.name'), t('admin.product.brand'), t('admin.product.category'),
            t('admin.product.salePrice'), t('admin.product.stock'), t('admin.actions')],
          r.items, (p) => [String(p.id), h('a', { href: `${SECTION}/${p.id}`, class: 'name' }, p.name), p.brand, p.category,
            t('price.won', { price: formatNumber(p.salePrice) }), formatNumber(p.stock),
            deleteButton(p.name, async () => {
              await api('DELETE', `/kok/products/${p.id}`);
              say(t('admin.deleted', { name: p.name }));
              go(`${SECTION}${query(current)}`);
            })]) : h('p', {}, t('products.none')),
        pager(r, (page) => `${SECTION}${query({ ...current, page })}`));
    }).catch((e) => render(results, errorBox(e)));
    return adminPage(t('admin.products'), SECTION,
      h('p', { class: 'actions' }, h('a', { href: `${SECTION}/new`, class: 'button', id: 'new-product' }, t('admin.product.new')),
        ' ', h('a', { href: `${SECTION}/import`, class: 'button secondary', id: 'import-products' }, t('admin.import.title'))),
      form, results);
  });
}

export function adminProductImportPage(params, go) {
  return adminOnly(go, `${SECTION}/import`, () => adminPage(t('admin.product.import'), SECTION,
    h('p', {}, h('a', { href: SECTION }, t('admin.back'))),
    importForm('/kok/products/import', 'product-import')));
}

export function adminProductPage(params, go, id) {
  const creating = id === undefined;
  return adminOnly(go, creating ? `${SECTION}/new` : `${SECTION}/${id}`, () => {
    const input = (name, attrs = {}) => h('input', { type: 'text', name, ...attrs });
    const f = {
      name: input('name', { required: true, maxlength: 200 }),
      brand: input('brand', { maxlength: 100 }),
      category: input('category', { required: true, maxlength: 50 }),
      price: input('price', { type: 'number', min: 0, required: true, inputmode: 'numeric' }),
      salePrice: input('salePrice', { type: 'number', min: 0, inputmode: 'numeric', 'aria-describedby': 'sale-hint' }),
      stock: input('stock', { type: 'number', min: 0, inputmode: 'numeric' }),
      imageUrl: input('imageUrl', { type: 'url', maxlength: 500 }),
      keywords: input('keywords', { 'aria-describedby': 'keywords-hint' }),
      description: h('textarea', { name: 'description', rows: 4, maxlength: 5000 }),
    };
    let loaded = {};
    const form = h('form', { class: 'form wide', id: 'product-form' },
      field(t('admin.product.name'), f.name), field(t('admin.product.brand'), f.brand),
      field(t('admin.product.category'), f.category), field(t('admin.product.price'), f.price),
      field(t('admin.product.salePrice'), f.salePrice), h('p', { id: 'sale-hint', class: 'meta' }, t('admin.product.saleHint')),
      field(t('admin.product.stock'), f.stock), field(t('admin.product.imageUrl'), f.imageUrl),
      field(t('admin.product.keywords'), f.keywords), h('p', { id: 'keywords-hint', class: 'meta' }, t('admin.commaHint')),
      field(t('admin.product.description'), f.description),
      h('button', { type: 'submit' }, creating ? t('admin.create') : t('admin.save')));
    onSubmit(form, async () => {
      // Replacing: what the form does not show (rating, review count) goes back as it was.
      const body = {
        name: f.name.value, brand: f.brand.value, category: f.category.value, price: whole(f.price),
        salePrice: whole(f.salePrice), stock: whole(f.stock), imageUrl: f.imageUrl.value || null,
        keywords: words(f.keywords.value), description: f.description.value || null,
        rating: loaded.rating, reviewCount: loaded.reviewCount,
      };
      const saved = await api(creating ? 'POST' : 'PUT', creating ? '/kok/products' : `/kok/products/${id}`, body);
      say(t(creating ? 'admin.created' : 'admin.saved', { name: saved.name }));
      go(`${SECTION}/${saved.id}`);
    });
    const body = h('div', {}, creating ? form : loading());
    if (!creating) {
      api('GET', `/kok/products/${encodeURIComponent(id)}`).then((p) => {
        loaded = p;
        for (const k of ['name', 'brand', 'category', 'price', 'salePrice', 'stock', 'imageUrl', 'description']) f[k].value = p[k] ?? '';
        f.keywords.value = (p.keywords ?? []).join(', ');
        render(body, h('p', {}, h('a', { href: `#/products/${p.id}` }, t('admin.viewInShop'))), form);
      }).catch((e) => render(body, errorBox(e)));
    }
    return adminPage(creating ? t('admin.product.new') : t('admin.product.edit'), SECTION,
      h('p', {}, h('a', { href: SECTION }, t('admin.back'))), body);
  });
}
