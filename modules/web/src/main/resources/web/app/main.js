// The app shell: a hash router (#/products?q=김치), the menu and the account area.
import { h, render } from './dom.js';
import { t, currentLang, setLang } from './i18n.js';
import { currentUser, isAdmin, onSessionChange, logout } from './api.js';
import { say } from './ui.js';
import { page } from './events.js';
import { home } from './pages/home.js';
import { loginPage, registerPage } from './pages/account.js';
import { productsPage, productPage, wishlistPage } from './pages/kok.js';
import { recipesPage, cookPage, recipePage, bookmarksPage } from './pages/recipes.js';
import { chatPage } from './pages/chat.js';
import { adminRoutes } from './admin/routes.js';
import { assistantPage, conversationPage } from './pages/assistant.js';
import { homeShoppingPage } from './pages/homeshopping.js';
import { forgotPasswordPage, resetPasswordPage, verifyEmailPage, accountPage } from './pages/profile.js';

const routes = [
  [/^\/$/, home],
  [/^\/login$/, loginPage],
  [/^\/register$/, registerPage],
  [/^\/products$/, productsPage],
  [/^\/products\/(\d+)$/, productPage],
  [/^\/wishlist$/, wishlistPage],
  [/^\/recipes$/, recipesPage],
  [/^\/recipes\/(\d+)$/, recipePage],
  [/^\/cook$/, cookPage],
  [/^\/bookmarks$/, bookmarksPage],
  [/^\/chat$/, chatPage],
  [/^\/forgot-password$/, forgotPasswordPage],
  [/^\/reset-password$/, resetPasswordPage],
  [/^\/verify-email$/, verifyEmailPage],
  [/^\/account$/, accountPage],
  [/^\/assistant$/, assistantPage],
  [/^\/live$/, homeShoppingPage],
  [/^\/assistant\/([0-9a-f-]{36})$/, conversationPage],
  ...adminRoutes,
];

const main = document.getElementById('main');

function go(hash) {
  if (location.hash === hash) show();
  else location.hash = hash;
}

function show() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const [path, search] = raw.split('?');
  const params = new URLSearchParams(search ?? '');
  document.title = 'Plaza';
  page(path);
  for (const [pattern, view] of routes) {
    const m = path.match(pattern);
    if (m) {
      const content = view(params, go, ...m.slice(1));
      if (content) {
        render(main, content);
        (main.querySelector('h1') ?? main).focus();
      }
      shell();
      return;
    }
  }
  render(main, h('h1', { tabindex: '-1' }, t('notFound')));
  shell();
}

function shell() {
  document.getElementById('skip-link').textContent = t('skip');
  const nav = document.getElementById('nav');
  nav.setAttribute('aria-label', t('nav.label'));
  const here = (location.hash.replace(/^#/, '') || '/').split('?')[0];
  const link = (href, key) => h('a', { href, 'aria-current': here === href.slice(1) ? 'page' : null }, t(key));
  render(nav,
    link('#/products', 'nav.products'), link('#/recipes', 'nav.recipes'), link('#/cook', 'nav.cook'), link('#/live', 'nav.live'),
    currentUser() ? [link('#/wishlist', 'nav.wishlist'), link('#/bookmarks', 'nav.bookmarks'), link('#/chat', 'nav.chat'), link('#/assistant', 'nav.assistant')] : null,
    isAdmin() ? link('#/admin', 'nav.admin') : null);
  const user = currentUser();
  const other = currentLang() === 'ko' ? 'en' : 'ko';
  render(document.getElementById('account'),
    user ? [h('a', { class: 'hello', id: 'my-account', href: '#/account', 'aria-label': t('profile.link', { name: user.name || user.email }) }, t('account.hello', { name: user.name || user.email })),
      h('button', { type: 'button', id: 'sign-out', class: 'secondary', onclick: async () => {
        signingOut = true;
        await logout().catch(() => {});
        signingOut = false;
        say(t('signedOut'));
        go('#/');
      } }, t('account.signOut'))]
      : [h('a', { href: '#/login', id: 'sign-in' }, t('account.signIn')), h('a', { href: '#/register', id: 'register' }, t('account.register'))],
    h('button', { type: 'button', class: 'lang', lang: other, 'aria-label': t('lang.switchLabel'),
      onclick: () => { setLang(other); show(); } }, t('lang.switch')));
}

// A session that ends by itself (its refresh refused: the account was disabled, or signed out elsewhere) shows
// the signed-out state at once: the page is shown again, so a signed-in page goes to the sign-in form.
let signingOut = false;
let signedIn = Boolean(currentUser());
onSessionChange((user) => {
  const ended = signedIn && !user && !signingOut;
  signedIn = Boolean(user);
  if (ended) {
    say(t('session.ended'));
    show();
  } else {
    shell();
  }
});
window.addEventListener('hashchange', show);
show();
