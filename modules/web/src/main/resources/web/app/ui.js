// Pieces every page uses: labelled fields, a pager, prices, status messages and error display.
import { h } from './dom.js';
import { t, formatNumber } from './i18n.js';

let fieldId = 0;

/** A label and its control, tied by id, so every input has an accessible name. */
export function field(label, control) {
  const id = control.id || `f${++fieldId}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

export function heading(text) {
  return h('h1', { tabindex: '-1' }, text);
}

export function say(text) {
  const status = document.getElementById('status');
  status.textContent = '';
  // A fresh text node so screen readers announce the same message twice in a row too.
  setTimeout(() => { status.textContent = text; }, 50);
  clearTimeout(say.timer);
  say.timer = setTimeout(() => { status.textContent = ''; }, 5000);
}

/** An error from the API as text: its detail, and each field error. */
export function errorBox(e) {
  const errors = e?.problem?.errors ?? [];
  return h('div', { class: 'error', role: 'alert' },
    h('p', {}, t('error', { detail: e.message })),
    errors.length ? h('ul', {}, errors.map((f) => h('li', {}, `${f.field}: ${f.message}`))) : null);
}

export function price(p) {
  const sale = h('strong', { class: 'sale' }, t('price.won', { price: formatNumber(p.salePrice ?? p.price) }));
  if (!p.discountRate) return h('span', { class: 'price' }, sale);
  return h('span', { class: 'price' },
    h('span', { class: 'rate' }, t('price.discount', { rate: p.discountRate })), ' ',
    sale, ' ', h('s', {}, t('price.won', { price: formatNumber(p.price) })));
}

/** Previous/next links for a {page, totalPages} result; link(page) builds each page's address. */
export function pager(result, link) {
  const pages = result.totalPages ?? Math.max(1, Math.ceil(result.total / result.size));
  if (pages <= 1) return null;
  return h('nav', { class: 'pager', 'aria-label': t('page.nav') },
    result.page > 1 ? h('a', { href: link(result.page - 1), rel: 'prev' }, t('page.prev')) : null,
    h('span', {}, t('page.of', { page: result.page, pages })),
    result.page < pages ? h('a', { href: link(result.page + 1), rel: 'next' }, t('page.next')) : null);
}

export function loading() {
  return h('p', { class: 'loading' }, t('loading'));
}
