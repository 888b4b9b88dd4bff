import { h } from '../dom.js';
import { t } from '../i18n.js';
import { heading } from '../ui.js';
import { currentUser } from '../api.js';
import { recommendations } from '../recommend.js';

export function home() {
  return [
    heading(t('home.title')),
    h('p', { class: 'lead' }, t('home.lead')),
    h('ul', { class: 'cards' },
      h('li', {}, h('a', { href: '#/products', class: 'card' }, t('home.searchProducts'))),
      h('li', {}, h('a', { href: '#/cook', class: 'card' }, t('home.cook'))),
      h('li', {}, h('a', { href: '#/recipes', class: 'card' }, t('nav.recipes'))),
      h('li', {}, h('a', { href: '#/live', class: 'card' }, t('nav.live')))),
    currentUser() ? recommendations('/recommend/for-you?scenario=home&n=8', 'product', t('rec.forYou'), 'for-you') : null,
  ];
}
