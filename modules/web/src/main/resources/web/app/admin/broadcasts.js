// Admin: home-shopping broadcasts — a day's schedule (Asia/Seoul) with a title filter, create, edit, delete,
// JSON Lines import (docs/catalog.md). Times are typed as Seoul wall-clock times and sent with +09:00.
import { h, render } from '../dom.js';
import { t, formatNumber } from '../i18n.js';
import { api, query } from '../api.js';
import { field, errorBox, say, loading } from '../ui.js';
import { adminOnly, adminPage, importForm, onSubmit, deleteButton, table, words } from './common.js';

const SECTION = '#/admin/broadcasts';
const SEOUL = '+09:00';

/** Today's date in Seoul, YYYY-MM-DD. */
function seoulToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Seoul' }).format(new Date());
}

/** "2025-01-06T06:00:00+09:00" as shown: "01-06 06:00". */
function clock(iso) {
  return iso ? iso.slice(5, 16).replace('T', ' ') : '';
}

export function adminBroadcastsPage(params, go) {
  return adminOnly(go, `${SECTION}${query(Object.fromEntries(params))}`, () => {
    const date = h('input', { type: 'date', name: 'date', value: params.get('date') ?? seoulToday(), required: true });
    const channel = h('input', { type: 'text', name: 'channel', value: params.get('channel') ?? '', maxlength: 40 });
    const q = h('input', { type: 'search', name: 'q', value: params.get('q') ?? '', maxlength: 100 });
    const form = h('form', { class: 'filters', role: 'search', id: 'admin-broadcast-search' },
      field(t('admin.broadcast.date'), date), field(t('admin.broadcast.channel'), channel), field(t('admin.broadcast.titleFilter'), q),
      h('button', { type: 'submit' }, t('admin.searchSubmit')));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      go(`${SECTION}${query({ date: date.value, channel: channel.value, q: q.value })}`);
    });
    const results = h('div', {}, loading());
    const current = Object.fromEntries(params);
    api('GET', `/home-shopping/schedule${query({ date: date.value, channel: current.channel })}`).then((s) => {
      const needle = (current.q ?? '').trim().toLowerCase();
      const items = s.broadcasts.filter((b) => !needle || b.title.toLowerCase().includes(needle));
      render(results,
        h('p', { class: 'total' }, t('admin.broadcast.total', { total: formatNumber(items.length), date: s.date })),
        items.length ? table('admin-broadcasts', t('admin.broadcasts'),
          [t('admin.id'), t('admin.broadcast.title'), t('admin.broadcast.channelName'), t('admin.broadcast.startsAt'),
            t('admin.broadcast.endsAt'), t('admin.broadcast.products'), t('admin.actions')],
          items, (b) => [String(b.id), [h('a', { href: `${SECTION}/${b.id}`, class: 'name' }, b.title),
            b.live ? [' ', h('strong', { class: 'live' }, t('admin.broadcast.live'))] : null], b.channel.name,
            clock(b.startsAt), clock(b.endsAt), formatNumber(b.products.length),
            deleteButton(b.title, async () => {
              await api('DELETE', `/home-shopping/broadcasts/${b.id}`);
              say(t('admin.deleted', { name: b.title }));
              go(`${SECTION}${query(current)}`);
            })]) : h('p', {}, t('admin.broadcast.none')));
    }).catch((e) => render(results, errorBox(e)));
    return adminPage(t('admin.broadcasts'), SECTION,
      h('p', { class: 'actions' }, h('a', { href: `${SECTION}/new`, class: 'button', id: 'new-broadcast' }, t('admin.broadcast.new')),
        ' ', h('a', { href: `${SECTION}/import`, class: 'button secondary', id: 'import-broadcasts' }, t('admin.import.title'))),
      form, results);
  });
}

export function adminBroadcastImportPage(params, go) {
  return adminOnly(go, `${SECTION}/import`, () => adminPage(t('admin.broadcast.import'), SECTION,
    h('p', {}, h('a', { href: SECTION }, t('admin.back'))),
    importForm('/home-shopping/broadcasts/import', 'broadcast-import')));
}

export function adminBroadcastPage(params, go, id) {
  const creating = id === undefined;
  return adminOnly(go, creating ? `${SECTION}/new` : `${SECTION}/${id}`, () => {
    const f = {
      channel: h('input', { type: 'text', name: 'channel', required: true, maxlength: 40, 'aria-describedby': 'channel-hint' }),
      channelName: h('input', { type: 'text', name: 'channelName', maxlength: 100 }),
      title: h('input', { type: 'text', name: 'title', required: true, maxlength: 200 }),
      startsAt: h('input', { type: 'datetime-local', name: 'startsAt', required: true, 'aria-describedby': 'time-hint' }),
      endsAt: h('input', { type: 'datetime-local', name: 'endsAt', required: true, 'aria-describedby': 'time-hint' }),
      productIds: h('input', { type: 'text', name: 'productIds', inputmode: 'numeric', 'aria-describedby': 'products-hint' }),
    };
    const form = h('form', { class: 'form wide', id: 'broadcast-form' },
      field(t('admin.broadcast.channel'), f.channel), h('p', { id: 'channel-hint', class: 'meta' }, t('admin.broadcast.channelHint')),
      field(t('admin.broadcast.channelName'), f.channelName), field(t('admin.broadcast.title'), f.title),
      field(t('admin.broadcast.startsAt'), f.startsAt), field(t('admin.broadcast.endsAt'), f.endsAt),
      h('p', { id: 'time-hint', class: 'meta' }, t('admin.broadcast.timeHint')),
      field(t('admin.broadcast.productIds'), f.productIds), h('p', { id: 'products-hint', class: 'meta' }, t('admin.commaHint')),
      h('button', { type: 'submit' }, creating ? t('admin.create') : t('admin.save')));
    const seoul = (v) => (v ? `${v.length === 16 ? `${v}:00` : v}${SEOUL}` : null);
    onSubmit(form, async () => {
      const body = { channel: f.channel.value.trim(), channelName: f.channelName.value.trim() || null, title: f.title.value,
        startsAt: seoul(f.startsAt.value), endsAt: seoul(f.endsAt.value), productIds: words(f.productIds.value).map(Number) };
      const saved = await api(creating ? 'POST' : 'PUT', creating ? '/home-shopping/broadcasts' : `/home-shopping/broadcasts/${id}`, body);
      say(t(creating ? 'admin.created' : 'admin.saved', { name: saved.title }));
      go(`${SECTION}/${saved.id}`);
    });
    const body = h('div', {}, creating ? form : loading());
    if (!creating) {
      api('GET', `/home-shopping/broadcasts/${encodeURIComponent(id)}`).then((b) => {
        f.channel.value = b.channel.code;
        f.channelName.value = b.channel.name ?? '';
        f.title.value = b.title;
        f.startsAt.value = b.startsAt.slice(0, 16);
        f.endsAt.value = b.endsAt.slice(0, 16);
        f.productIds.value = b.products.map((p) => p.id).join(', ');
        render(body, form);
      }).catch((e) => render(body, errorBox(e)));
    }
    return adminPage(creating ? t('admin.broadcast.new') : t('admin.broadcast.edit'), SECTION,
      h('p', {}, h('a', { href: SECTION }, t('admin.back'))), body);
  });
}
