import { h } from '../dom.js';
import { t } from '../i18n.js';
import { currentUser, login, register } from '../api.js';
import { field, heading, errorBox, say } from '../ui.js';
import { identify } from '../events.js';

export function loginPage(params, go) {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'username', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'current-password', required: true });
  const errors = h('div');
  const form = h('form', { class: 'form', id: 'login-form' },
    field(t('login.email'), email),
    field(t('login.password'), password),
    errors,
    h('button', { type: 'submit' }, t('login.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    try {
      await login(email.value.trim(), password.value);
      identify(currentUser());
      say(t('login.done'));
      go(params.get('next') || '#/');
    } catch (e) {
      errors.append(errorBox(e));
    }
  });
  return [heading(t('login.title')), form,
    h('p', {}, h('a', { href: '#/forgot-password', id: 'forgot-link' }, t('forgot.link'))),
    h('p', {}, t('login.noAccount'), ' ', h('a', { href: '#/register' }, t('account.register')))];
}

export function registerPage(params, go) {
  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true });
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const password = h('input', { type: 'password', name: 'password', autocomplete: 'new-password', required: true, minlength: 8 });
  const errors = h('div');
  const form = h('form', { class: 'form', id: 'register-form' },
    field(t('register.name'), name),
    field(t('register.email'), email),
    field(t('register.password'), password),
    errors,
    h('button', { type: 'submit' }, t('register.submit')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    try {
      await register(name.value.trim(), email.value.trim(), password.value);
      await login(email.value.trim(), password.value);
      identify(currentUser());
      say(t('register.done'));
      go('#/');
    } catch (e) {
      errors.append(errorBox(e));
    }
  });
  return [heading(t('register.title')), form];
}
