// Admin: the portal's start page, signing keys (published keys, rotation: docs/auth.md) and event counts per
// day (GET /events/stats: docs/events.md).
import { h, render } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { api, query } from '../api.js';
import { field, errorBox, say, loading } from '../ui.js';
import { SECTIONS, adminOnly, adminPage, onSubmit, table, seoulTime } from './common.js';

export function adminHomePage(params, go) {
  return adminOnly(go, '#/admin', () => adminPage(t('admin.title'), null,
    h('p', { class: 'lead' }, t('admin.lead')),
    h('ul', { class: 'cards' }, SECTIONS.map(([href, key]) => h('li', {}, h('a', { href, class: 'card' }, t(key)))))));
}

export function adminKeysPage(params, go) {
  return adminOnly(go, '#/admin/keys', () => {
    const keys = h('div', { id: 'admin-keys' }, loading());
    const show = (list, note) => render(keys, note,
      table('key-table', t('admin.key.published'), [t('admin.key.kid'), t('admin.key.type')],
        list, (k) => [h('code', {}, k.kid), [k.kty, k.crv, k.alg].filter(Boolean).join(' ')]));
    api('GET', '/auth/.well-known/jwks.json').then((j) => show(j.keys, null)).catch((e) => render(keys, errorBox(e)));
    const form = h('form', { id: 'rotate-form', class: 'form wide' },
      h('p', { class: 'meta' }, t('admin.key.hint')),
      h('button', { type: 'submit' }, t('admin.key.rotate')));
    onSubmit(form, async () => {
      if (!window.confirm(t('admin.key.confirm'))) return;
      const r = await api('POST', '/auth/keys/rotate');
      say(t('admin.key.rotated', { kid: r.kid }));
      // The key set is cached by browsers for a while (Cache-Control on jwks.json): this address is new.
      const j = await api('GET', `/auth/.well-known/jwks.json${query({ rotated: r.kid })}`);
      show(j.keys, h('p', { class: 'note', id: 'rotated' }, t('admin.key.signsFrom', { kid: r.kid, from: seoulTime(r.signs_from) })));
    });
    return adminPage(t('admin.keys'), '#/admin/keys', form, keys);
  });
}

/** Today minus days, as YYYY-MM-DD (UTC, the stats' day boundaries). */
function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

export function adminEventsPage(params, go) {
  return adminOnly(go, `#/admin/events${query(Object.fromEntries(params))}`, () => {
    const from = h('input', { type: 'date', name: 'from', value: params.get('from') ?? daysAgo(6), required: true });
    const to = h('input', { type: 'date', name: 'to', value: params.get('to') ?? daysAgo(0), required: true });
    const event = h('input', { type: 'text', name: 'event', value: params.get('event') ?? '', maxlength: 200 });
    const form = h('form', { class: 'filters', id: 'event-stats-form' },
      field(t('admin.events.from'), from), field(t('admin.events.to'), to), field(t('admin.events.event'), event),
      h('button', { type: 'submit' }, t('admin.searchSubmit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      go(`#/admin/events${query({ from: from.value, to: to.value, event: event.value })}`);
    });
    const results = h('div', {}, loading());
    // The days from..to inclusive: to is sent as the next day's midnight (UTC).
    const until = new Date(`${to.value}T00:00:00Z`);
    until.setUTCDate(until.getUTCDate() + 1);
    api('GET', `/events/stats${query({ interval: 'day', from: `${from.value}T00:00:00Z`, to: until.toISOString(), event: event.value })}`)
      .then((s) => {
        const total = s.buckets.reduce((sum, b) => sum + b.count, 0);
        render(results,
          h('p', { class: 'total', id: 'event-total' }, t('admin.events.total', { total: formatNumber(total) })),
          s.buckets.length ? table('event-stats', t('admin.events.perDay'),
            [t('admin.events.day'), t('admin.events.event'), t('admin.events.type'), t('admin.events.count'), t('admin.events.users')],
            s.buckets, (b) => [b.start.slice(0, 10), b.event ?? '—', b.type, formatNumber(b.count), formatNumber(b.users)])
            : h('p', {}, t('admin.events.none')));
      }).catch((e) => render(results, errorBox(e)));
    return adminPage(t('admin.events'), '#/admin/events', form, results);
  });
}
