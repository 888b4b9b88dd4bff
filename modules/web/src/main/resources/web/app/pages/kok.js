// Kok: product search (Korean, filters, sort, paging), product page, wishlist.
import { h, render } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { api, query, currentUser } from '../api.js';
import { field, heading, errorBox, price, pager, say, loading } from '../ui.js';
import { track } from '../events.js';
import { recommendations } from '../recommend.js';

const SORTS = ['relevance', 'popular', 'price_asc', 'price_desc', 'discount', 'newest'];
let categories = null;

/** A product in a list; clicks on its name are tracked with where it was (list, position, query). */
function productCard(p, position, list) {
  const link = h('a', { href: `#/products/${p.id}`, class: 'name' }, p.name);
  if (list) link.addEventListener('click', () => track('Product Clicked', { productId: p.id, position, ...list }));
  return h('li', { class: 'item product' },
    link,
    h('span', { class: 'maker' }, p.brand),
    price(p),
    p.stock === 0 ? h('span', { class: 'soldout' }, t('product.soldOut')) : null);
}

export function productsPage(params, go) {
  const q = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', maxlength: 100 });
  const category = h('select', { name: 'category' }, h('option', { value: '' }, t('products.allCategories')));
  const min = h('input', { type: 'number', name: 'minPrice', min: 0, inputmode: 'numeric', value: params.get('minPrice') ?? '' });
  const max = h('input', { type: 'number', name: 'maxPrice', min: 0, inputmode: 'numeric', value: params.get('maxPrice') ?? '' });
  const sort = h('select', { name: 'sort' },
    SORTS.map((s) => h('option', { value: s, selected: s === (params.get('sort') ?? (params.get('q') ? 'relevance' : 'popular')) }, t(`sort.${s}`))));
  const results = h('div', { class: 'results' }, loading());
  const form = h('form', { class: 'filters', role: 'search', id: 'product-search' },
    field(t('products.query'), q), field(t('products.category'), category),
    field(t('products.minPrice'), min), field(t('products.maxPrice'), max),
    field(t('products.sort'), sort),
    h('button', { type: 'submit' }, t('products.search')));
  // The sort is sent only when chosen: otherwise the server's default applies (relevance with words, else popular).
  let sortChosen = params.has('sort');
  sort.addEventListener('change', () => { sortChosen = true; });
  const filters = () => ({ q: q.value, category: category.value, minPrice: min.value, maxPrice: max.value,
    sort: sortChosen ? sort.value : '' });
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`#/products${query(filters())}`);
  });

  (categories ??= api('GET', '/kok/categories')).then((c) => {
    for (const cat of c.categories) {
      category.append(h('option', { value: cat.name, selected: cat.name === params.get('category') }, cat.name));
    }
  }).catch(() => { categories = null; });

  const current = Object.fromEntries(params);
  api('GET', `/kok/products${query({ ...current, size: current.size ?? 20 })}`).then((r) => {
    if (current.q || current.category) {
      track('Products Searched', { query: current.q, category: current.category, sort: current.sort, page: r.page, total: r.total });
    }
    const list = { list: 'search', query: current.q };
    render(results,
      h('p', { class: 'total' }, t('products.total', { total: formatNumber(r.total) })),
      r.items.length ? h('ul', { class: 'grid', id: 'product-results' }, r.items.map((p, i) => productCard(p, i, list))) : h('p', {}, t('products.none')),
      pager(r, (page) => `#/products${query({ ...current, page })}`));
  }).catch((e) => render(results, errorBox(e)));
  return [heading(t('products.title')), form, results];
}

export function productPage(params, go, id) {
  const body = h('div', {}, loading());
  const title = heading('');
  api('GET', `/kok/products/${encodeURIComponent(id)}`).then(async (p) => {
    title.textContent = p.name;
    document.title = `${p.name} · Plaza`;
    track('Product Viewed', { productId: p.id, name: p.name, category: p.category, price: p.salePrice ?? p.price });
    let wished = false;
    if (currentUser()) {
      // Whether it is on the list: the list is small for a shopper; the first page of 100 tells.
      const list = await api('GET', '/kok/wishlist?size=100').catch(() => ({ items: [] }));
      wished = list.items.some((e) => e.product.id === p.id);
    }
    const wish = h('button', { type: 'button', id: 'wish', 'aria-pressed': String(wished) });
    const label = () => { wish.textContent = wished ? t('product.unwish') : t('product.wish'); wish.setAttribute('aria-pressed', String(wished)); };
    label();
    wish.addEventListener('click', async () => {
      if (!currentUser()) return go(`#/login${query({ next: `#/products/${p.id}` })}`);
      try {
        await api(wished ? 'DELETE' : 'PUT', `/kok/wishlist/${p.id}`);
        wished = !wished;
        label();
        say(wished ? t('product.wished') : t('product.unwished'));
      } catch (e) {
        body.append(errorBox(e));
      }
    });
    render(body,
      h('p', { class: 'maker' }, `${t('product.brand')}: `, p.brand, ' · ', `${t('product.category')}: `, p.category),
      h('p', {}, price(p)),
      h('p', {}, p.stock > 0 ? `${t('product.stock')}: ${formatNumber(p.stock)}` : t('product.soldOut')),
      p.reviewCount ? h('p', {}, t('product.rating', { rating: p.rating, count: formatNumber(p.reviewCount) })) : null,
      wish,
      p.description ? h('p', { class: 'description' }, p.description) : null);
  }).catch((e) => render(body, errorBox(e)));
  return [title, body, recommendations(`/recommend/products/${encodeURIComponent(id)}/related`, 'product', t('rec.related'), 'related-products')];
}

export function wishlistPage(params, go) {
  if (!currentUser()) return go(`#/login${query({ next: '#/wishlist' })}`);
  const body = h('div', {}, loading());
  const page = params.get('page') ?? 1;
  api('GET', `/kok/wishlist${query({ page })}`).then((r) => {
    if (!r.items.length) return render(body, h('p', {}, t('wishlist.empty')));
    render(body, h('ul', { class: 'grid', id: 'wishlist' }, r.items.map((e) => {
      const item = productCard(e.product);
      item.append(h('button', { type: 'button', class: 'secondary', 'aria-label': `${t('wishlist.remove')}: ${e.product.name}`,
        onclick: async () => { await api('DELETE', `/kok/wishlist/${e.product.id}`); item.remove(); say(t('product.unwished')); } },
      t('wishlist.remove')));
      return item;
    })), pager(r, (p) => `#/wishlist?page=${p}`));
  }).catch((e) => render(body, errorBox(e)));
  return [heading(t('wishlist.title')), body];
}
