// Admin: accounts — search by email or name, disable (auth revokes the sessions: the user's open pages are
// signed out at their next refresh) and enable (docs/auth.md); each user's AI usage and quota.
import { h, render } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { api, query, currentUser } from '../api.js';
import { field, errorBox, pager, say, loading } from '../ui.js';
import { adminOnly, adminPage, onSubmit, table, whole } from './common.js';

const SECTION = '#/admin/users';

function when(iso) {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '—';
}

export function adminUsersPage(params, go) {
  return adminOnly(go, `${SECTION}${query(Object.fromEntries(params))}`, () => {
    const q = h('input', { type: 'search', name: 'query', value: params.get('query') ?? '', maxlength: 100 });
    const form = h('form', { class: 'filters', role: 'search', id: 'admin-user-search' },
      field(t('admin.user.search'), q), h('button', { type: 'submit' }, t('admin.searchSubmit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      go(`${SECTION}${query({ query: q.value })}`);
    });
    const results = h('div', {}, loading());
    const current = { query: params.get('query'), page: params.get('page') };
    api('GET', `/users${query({ ...current, size: 50 })}`).then((r) => {
      render(results,
        h('p', { class: 'total' }, t('admin.user.total', { total: formatNumber(r.total) })),
        r.items.length ? table('admin-users', t('admin.users'),
          [t('admin.user.email'), t('admin.user.name'), t('admin.user.roles'), t('admin.user.status'), t('admin.user.lastLogin'), t('admin.actions')],
          r.items, (u) => [u.email, u.name, u.roles.join(', '),
            h('span', { class: u.disabled ? 'status-off' : 'status-on' }, u.disabled ? t('admin.user.disabled') : t('admin.user.active')),
            when(u.last_login), actions(u)]) : h('p', {}, t('admin.user.none')),
        pager({ ...r, totalPages: Math.ceil(r.total / r.size) }, (page) => `${SECTION}${query({ ...current, page })}`));
    }).catch((e) => render(results, errorBox(e)));

    function actions(u) {
      const me = u.user_id === currentUser()?.user_id;
      const toggle = me ? null : h('button', { type: 'button', class: u.disabled ? 'secondary' : 'danger',
        'aria-label': `${u.disabled ? t('admin.user.enable') : t('admin.user.disable')}: ${u.email}`,
        onclick: async (ev) => {
          ev.target.disabled = true;
          try {
            await api('POST', `/users/${encodeURIComponent(u.user_id)}/${u.disabled ? 'enable' : 'disable'}`);
            say(t(u.disabled ? 'admin.user.enabled' : 'admin.user.disabledDone', { email: u.email }));
            go(`${SECTION}${query(current)}`);
          } catch (e) {
            ev.target.disabled = false;
            ev.target.after(errorBox(e));
          }
        } }, u.disabled ? t('admin.user.enable') : t('admin.user.disable'));
      return h('span', { class: 'row-actions' }, toggle,
        h('a', { href: `#/admin/usage${query({ user: u.user_id, email: u.email })}`, 'aria-label': `${t('admin.usage.link')}: ${u.email}` },
          t('admin.usage.link')));
    }
    return adminPage(t('admin.users'), SECTION, form, results);
  });
}

/** AI usage per day and model for one user (GET /ai/usage?userId=), their quota standing and own budgets. */
export function adminUsagePage(params, go) {
  const user = params.get('user');
  return adminOnly(go, `#/admin/usage${query(Object.fromEntries(params))}`, () => {
    if (!user) return adminPage(t('admin.usage.title'), SECTION, h('p', {}, t('admin.usage.pickUser'), ' ', h('a', { href: SECTION }, t('admin.users'))));
    const label = params.get('email') || user;
    const usage = h('div', {}, loading());
    const quota = h('div', {}, loading());
    api('GET', `/ai/usage${query({ userId: user, from: params.get('from'), to: params.get('to') })}`).then((u) => {
      render(usage,
        h('p', { class: 'total', id: 'usage-totals' }, t('admin.usage.totals', { from: u.from, to: u.to, calls: formatNumber(u.totals.calls),
          tokens: formatNumber(u.totals.totalTokens) })),
        u.days.length ? table('admin-usage', t('admin.usage.perDay'),
          [t('admin.usage.day'), t('admin.usage.model'), t('admin.usage.calls'), t('admin.usage.input'), t('admin.usage.output'), t('admin.usage.total')],
          u.days, (d) => [d.day, d.model, formatNumber(d.calls), formatNumber(d.inputTokens), formatNumber(d.outputTokens),
            formatNumber(d.totalTokens)]) : h('p', {}, t('admin.usage.none')));
    }).catch((e) => render(usage, errorBox(e)));

    const showQuota = (s) => {
      const limit = (n) => (n === 0 ? t('admin.quota.unlimited') : formatNumber(n));
      const daily = h('input', { type: 'number', name: 'dailyTokens', min: 0, inputmode: 'numeric', value: s.overridden ? s.dailyLimit : '', 'aria-describedby': 'quota-hint' });
      const monthly = h('input', { type: 'number', name: 'monthlyTokens', min: 0, inputmode: 'numeric', value: s.overridden ? s.monthlyLimit : '', 'aria-describedby': 'quota-hint' });
      const form = h('form', { class: 'filters', id: 'quota-form' },
        field(t('admin.quota.daily'), daily), field(t('admin.quota.monthly'), monthly), h('button', { type: 'submit' }, t('admin.save')));
      onSubmit(form, async () => {
        showQuota(await api('PUT', `/ai/quotas/${encodeURIComponent(user)}`, { dailyTokens: whole(daily) ?? null, monthlyTokens: whole(monthly) ?? null }));
        say(t('admin.quota.saved'));
      });
      const reset = s.overridden ? h('button', { type: 'button', class: 'secondary', id: 'quota-reset', onclick: async () => {
        await api('DELETE', `/ai/quotas/${encodeURIComponent(user)}`).catch(() => {});
        showQuota(await api('GET', `/ai/quotas/${encodeURIComponent(user)}`));
        say(t('admin.quota.resetDone'));
      } }, t('admin.quota.reset')) : null;
      render(quota,
        h('dl', { class: 'facts', id: 'quota-standing' },
          h('dt', {}, t('admin.quota.today')), h('dd', {}, `${formatNumber(s.usedToday)} / ${limit(s.dailyLimit)}`),
          h('dt', {}, t('admin.quota.month')), h('dd', {}, `${formatNumber(s.usedThisMonth)} / ${limit(s.monthlyLimit)}`),
          h('dt', {}, t('admin.quota.source')), h('dd', {}, s.overridden ? t('admin.quota.own') : t('admin.quota.default'))),
        h('p', { id: 'quota-hint', class: 'meta' }, t('admin.quota.hint')), form, reset);
    };
    api('GET', `/ai/quotas/${encodeURIComponent(user)}`).then(showQuota).catch((e) => render(quota, errorBox(e)));
    return adminPage(t('admin.usage.titleFor', { user: label }), SECTION,
      h('p', {}, h('a', { href: SECTION }, t('admin.back'))),
      h('h2', {}, t('admin.usage.perDay')), usage, h('h2', {}, t('admin.quota.title')), quota);
  });
}
