// Home shopping: what is on air now and the day's schedule, a calendar day in Asia/Seoul (the catalog's zone),
// times shown in Seoul time whatever the browser's zone, with a channel filter.
import { h } from '../dom.js';
import { t, currentLang } from '../i18n.js';
import { api, query } from '../api.js';
import { errorBox, field, heading, loading, price } from '../ui.js';

const ZONE = 'Asia/Seoul';

/** Today's date in Seoul as YYYY-MM-DD. */
function seoulToday() {
  return new Intl.DateTimeFormat('en-CA', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

function clock(iso) {
  return new Date(iso).toLocaleTimeString(currentLang() === 'ko' ? 'ko-KR' : 'en-US', { timeZone: ZONE, hour: '2-digit', minute: '2-digit' });
}

function broadcastItem(b) {
  return h('li', { class: `item broadcast${b.live ? ' live' : ''}` },
    h('p', { class: 'meta' },
      h('time', { datetime: b.startsAt }, clock(b.startsAt)), '–', h('time', { datetime: b.endsAt }, clock(b.endsAt)),
      ' · ', b.channel?.name || b.channel?.code,
      b.live ? [' ', h('strong', { class: 'onair' }, t('live.onAir'))] : null),
    h('span', { class: 'name' }, b.title),
    b.products?.length ? h('ul', { class: 'broadcast-products', 'aria-label': t('live.products', { title: b.title }) },
      b.products.slice(0, 5).map((p) => h('li', {}, h('a', { href: `#/products/${p.id}` }, p.name), ' ', p.price !== undefined ? price(p) : null)))
      : null);
}

export function homeShoppingPage(params, go) {
  const date = h('input', { type: 'date', name: 'date', value: params.get('date') ?? seoulToday(), required: true });
  const channel = h('select', { name: 'channel' }, h('option', { value: '' }, t('live.allChannels')));
  const form = h('form', { class: 'filters', id: 'schedule-form' }, field(t('live.date'), date), field(t('live.channel'), channel),
    h('button', { type: 'submit' }, t('live.show')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`#/live${query({ date: date.value, channel: channel.value })}`);
  });
  api('GET', '/home-shopping/channels').then((r) => {
    channel.append(...r.channels.map((c) => h('option', { value: c.code, selected: c.code === params.get('channel') }, c.name || c.code)));
  }).catch(() => {});

  const chosen = params.get('channel') ?? '';
  const now = h('ul', { class: 'grid', id: 'on-air', 'aria-label': t('live.now') }, h('li', {}, loading()));
  api('GET', `/home-shopping/live${query({ channel: chosen })}`).then((r) => {
    now.replaceChildren(...(r.broadcasts.length ? r.broadcasts.map(broadcastItem) : [h('li', { class: 'meta' }, t('live.nothingNow'))]));
  }).catch((e) => now.replaceChildren(h('li', {}, errorBox(e))));

  const day = params.get('date') ?? seoulToday();
  const schedule = h('ol', { class: 'schedule', id: 'schedule', 'aria-label': t('live.scheduleOf', { date: day }) }, h('li', {}, loading()));
  api('GET', `/home-shopping/schedule${query({ date: day, channel: chosen })}`).then((r) => {
    schedule.replaceChildren(...(r.broadcasts.length ? r.broadcasts.map(broadcastItem) : [h('li', { class: 'meta' }, t('live.nothingThatDay'))]));
  }).catch((e) => schedule.replaceChildren(h('li', {}, errorBox(e))));

  return [heading(t('live.title')), h('p', { class: 'meta' }, t('live.zone')),
    h('h2', {}, t('live.now')), now,
    h('h2', {}, t('live.scheduleOf', { date: day })), form, schedule];
}
