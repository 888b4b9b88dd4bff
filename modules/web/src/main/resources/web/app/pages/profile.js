// The account's own pages: forgot and reset password, verify email (both reached from the mail's link,
// which standalone points at #/reset-password and #/verify-email), and "my account": profile name,
// verification status, change password, delete the account.
import { h } from '../dom.js';
import { t } from '../i18n.js';
import { api, currentUser, forgetSession, publicCall, query, refresh, updateUser } from '../api.js';
import { errorBox, field, heading, loading, say } from '../ui.js';

/** A form whose submit runs action(); errors show inside it, the button is disabled while it runs. */
function form(id, fields, submitLabel, action) {
  const errors = h('div');
  const button = h('button', { type: 'submit' }, submitLabel);
  const el = h('form', { class: 'form', id }, fields, errors, button);
  el.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    button.disabled = true;
    try {
      await action();
    } catch (e) {
      errors.append(errorBox(e));
    } finally {
      button.disabled = false;
    }
  });
  return el;
}

function password(name, autocomplete) {
  return h('input', { type: 'password', name, autocomplete, required: true, minlength: 8, maxlength: 256 });
}

export function forgotPasswordPage() {
  const email = h('input', { type: 'email', name: 'email', autocomplete: 'email', required: true });
  const done = h('p', { class: 'notice', id: 'forgot-done', role: 'status', hidden: true }, t('forgot.sent'));
  return [heading(t('forgot.title')), h('p', {}, t('forgot.lead')),
    form('forgot-form', field(t('login.email'), email), t('forgot.submit'), async () => {
      await publicCall('POST', '/auth/forgot-password', { email: email.value.trim() });
      done.hidden = false;
    }), done];
}

export function resetPasswordPage(params, go) {
  const token = params.get('token');
  if (!token) return [heading(t('reset.title')), h('p', { class: 'error', role: 'alert' }, t('reset.noToken')), h('a', { href: '#/forgot-password' }, t('forgot.title'))];
  const fresh = password('new-password', 'new-password');
  return [heading(t('reset.title')),
    form('reset-form', field(t('reset.newPassword'), fresh), t('reset.submit'), async () => {
      await publicCall('POST', '/auth/reset-password', { token, new_password: fresh.value });
      // a reset ends every session, this tab's too
      if (currentUser()) forgetSession();
      say(t('reset.done'));
      go(`#/login${query({ reset: '1' })}`);
    })];
}

export function verifyEmailPage(params, go) {
  const token = params.get('token');
  if (!token) return [heading(t('verify.title')), h('p', { class: 'error', role: 'alert' }, t('verify.noToken'))];
  return [heading(t('verify.title')), h('p', {}, t('verify.lead')),
    form('verify-form', [], t('verify.submit'), async () => {
      await publicCall('POST', '/auth/verify-email', { token });
      if (currentUser()) {
        // new tokens carry email_verified: true
        await refresh().catch(() => {});
        updateUser({ email_verified: true });
      }
      say(t('verify.done'));
      go(currentUser() ? '#/account' : '#/login');
    })];
}

export function accountPage(params, go) {
  if (!currentUser()) return go(`#/login${query({ next: '#/account' })}`);
  const box = h('div', {}, loading());
  api('GET', '/users/me').then((me) => {
    updateUser({ name: me.name, email: me.email, email_verified: me.email_verified });
    box.replaceChildren(...profileSections(me, go));
  }).catch((e) => box.replaceChildren(errorBox(e)));
  return [heading(t('profile.title')), box];
}

function profileSections(me, go) {
  const verified = me.email_verified
    ? h('p', { id: 'email-status', class: 'meta' }, t('profile.email', { email: me.email }), ' · ', t('profile.verified'))
    : h('p', { id: 'email-status', class: 'meta' }, t('profile.email', { email: me.email }), ' · ', t('profile.notVerified'), ' ',
      h('button', { type: 'button', class: 'secondary', id: 'resend-verification', onclick: async (ev) => {
        ev.currentTarget.disabled = true;
        await publicCall('POST', '/auth/resend-verification', { email: me.email }).catch(() => {});
        say(t('profile.resent'));
      } }, t('profile.resend')));

  const name = h('input', { type: 'text', name: 'name', autocomplete: 'name', required: true, maxlength: 100, value: me.name ?? '' });
  const nameForm = form('profile-form', field(t('register.name'), name), t('profile.save'), async () => {
    const updated = await api('PATCH', '/users/me', { name: name.value.trim() });
    updateUser({ name: updated.name });
    say(t('profile.saved'));
  });

  const current = password('current-password', 'current-password');
  const next = password('new-password', 'new-password');
  const passwordForm = form('password-form', [field(t('password.current'), current), field(t('password.new'), next)], t('password.submit'), async () => {
    await api('POST', '/users/me/password', { current_password: current.value, new_password: next.value });
    current.value = '';
    next.value = '';
    say(t('password.done'));
  });

  const sure = h('input', { type: 'checkbox', name: 'confirm-delete', required: true });
  const deleteForm = form('delete-form', h('div', { class: 'check' }, sure, h('label', { for: 'delete-confirm' }, t('delete.confirm'))),
    t('delete.submit'), async () => {
      await api('DELETE', '/users/me');
      forgetSession();
      say(t('delete.done'));
      go('#/');
    });
  sure.id = 'delete-confirm';
  deleteForm.querySelector('button').classList.add('danger');

  return [verified,
    h('section', { 'aria-labelledby': 'profile-h' }, h('h2', { id: 'profile-h' }, t('profile.nameTitle')), nameForm),
    h('section', { 'aria-labelledby': 'password-h' }, h('h2', { id: 'password-h' }, t('password.title')), passwordForm),
    h('section', { 'aria-labelledby': 'delete-h' }, h('h2', { id: 'delete-h' }, t('delete.title')), h('p', {}, t('delete.lead')), deleteForm)];
}
