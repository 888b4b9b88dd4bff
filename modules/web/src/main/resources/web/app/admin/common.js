// Pieces the admin pages share: the role check, the section menu, the JSON Lines import with its per-line
// report, and small form helpers. The API refuses non-admins anyway; the check only decides what to show.
import { h, render } from '../dom.js';
import { t, formatNumber, currentLang } from '../i18n.js';
import { api, currentUser, isAdmin, query } from '../api.js';
import { field, heading, errorBox } from '../ui.js';

export const SECTIONS = [
  ['#/admin/products', 'admin.products'],
  ['#/admin/broadcasts', 'admin.broadcasts'],
  ['#/admin/recipes', 'admin.recipes'],
  ['#/admin/users', 'admin.users'],
  ['#/admin/keys', 'admin.keys'],
  ['#/admin/events', 'admin.events'],
];

/**
 * The page for an admin, else what a visitor sees instead: signed out, the sign-in page (coming back here);
 * signed in without the role, a refusal. build() makes the page's content.
 */
export function adminOnly(go, here, build) {
  if (!currentUser()) return go(`#/login${query({ next: here })}`);
  if (!isAdmin()) return [heading(t('admin.title')), h('p', { class: 'error', role: 'alert' }, t('admin.forbidden'))];
  return build();
}

/** The heading, the section menu (the current section marked) and the content. */
export function adminPage(title, section, ...content) {
  const menu = h('nav', { class: 'admin-menu', 'aria-label': t('admin.menu') },
    SECTIONS.map(([href, key]) => h('a', { href, 'aria-current': href === section ? 'page' : null }, t(key))));
  return [heading(title), menu, ...content];
}

/** A text input's value as a whole number, or undefined when left empty. */
export function whole(input) {
  const v = input.value.trim();
  return v === '' ? undefined : Number(v);
}

/** Comma-separated words as a list (Korean commas too), empty ones left out. */
export function words(text) {
  return text.split(/[,，、]/).map((s) => s.trim()).filter(Boolean);
}

/** One line per entry, empty ones left out. */
export function lines(text) {
  return text.split('\n').map((s) => s.trim()).filter(Boolean);
}

/** A form's submit runs action(); its errors (with each field's) show in the form, the button is busy meanwhile. */
export function onSubmit(form, action) {
  const errors = h('div', { class: 'form-errors' });
  form.append(errors);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    const button = form.querySelector('button[type=submit]');
    if (button) button.disabled = true;
    try {
      await action();
    } catch (e) {
      errors.append(errorBox(e));
    } finally {
      if (button) button.disabled = false;
    }
  });
  return form;
}

/** A delete button that asks first; name is what is deleted (as text in the question and the button's name). */
export function deleteButton(name, action) {
  return h('button', { type: 'button', class: 'danger', 'aria-label': `${t('admin.delete')}: ${name}`,
    onclick: async (ev) => {
      if (!window.confirm(t('admin.confirmDelete', { name }))) return;
      ev.target.disabled = true;
      try {
        await action();
      } catch (e) {
        ev.target.disabled = false;
        ev.target.after(errorBox(e));
      }
    } }, t('admin.delete'));
}

/**
 * JSON Lines import (docs/catalog.md "Bulk import"): a file or pasted lines, POSTed as application/x-ndjson;
 * the report shows how many went in and, per refused line, its number and each field's reason.
 */
export function importForm(path, id) {
  const file = h('input', { type: 'file', name: 'file', accept: '.jsonl,.ndjson,.json,.txt,application/x-ndjson,text/plain' });
  const text = h('textarea', { name: 'lines', rows: 6, spellcheck: 'false', 'aria-describedby': `${id}-hint` });
  const report = h('div', { class: 'import-report', id: `${id}-report`, 'aria-live': 'polite' });
  const form = h('form', { class: 'form wide', id },
    h('p', { id: `${id}-hint`, class: 'meta' }, t('admin.import.hint')),
    field(t('admin.import.file'), file),
    field(t('admin.import.lines'), text),
    h('button', { type: 'submit' }, t('admin.import.submit')));
  onSubmit(form, async () => {
    const body = file.files.length ? await file.files[0].text() : text.value;
    if (!body.trim()) throw new Error(t('admin.import.empty'));
    render(report, t('loading'));
    const r = await api('POST', path, body, 'application/x-ndjson');
    render(report, importReport(r));
    report.querySelector('h3')?.focus();
  });
  return [form, report];
}

function importReport(r) {
  return [
    h('h3', { tabindex: '-1' }, t('admin.import.report')),
    h('p', { class: 'import-totals' },
      h('span', { class: 'imported' }, t('admin.import.imported', { count: formatNumber(r.imported) })), ' · ',
      h('span', { class: r.failed ? 'failed' : '' }, t('admin.import.failed', { count: formatNumber(r.failed) }))),
    r.errors.length ? h('table', { class: 'report', id: 'import-errors' },
      h('caption', {}, t('admin.import.errors')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('admin.import.line')), h('th', { scope: 'col' }, t('admin.import.reason')))),
      h('tbody', {}, r.errors.map((e) => h('tr', {},
        h('th', { scope: 'row' }, String(e.line)),
        h('td', {}, h('ul', {}, e.errors.map((f) => h('li', {}, h('code', {}, f.field), ' ', f.message)))))))) : null,
    r.errorsTruncated ? h('p', { class: 'meta' }, t('admin.import.truncated')) : null,
  ];
}

/** A table: caption, column headings, one row per item (cells from row(item); the first heads its row). */
export function table(id, caption, columns, items, row) {
  // A region that can take focus: a wide table scrolls sideways, and keyboards must reach that too. On a phone
  // each row is a card instead, its cells labelled with their column (data-label, style.css).
  return h('div', { class: 'table-wrap', role: 'region', tabindex: '0', 'aria-label': caption }, h('table', { class: 'list', id },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col' }, c)))),
    h('tbody', {}, items.map((item) => h('tr', {}, row(item).map((cell, i) => (i === 0
      ? h('th', { scope: 'row', 'data-label': columns[i] }, cell) : h('td', { 'data-label': columns[i] }, cell))))))));
}

/** An instant as Seoul's wall-clock time, e.g. "2026. 12. 8. 오후 3:05:12" (the portal's zone, like the schedule). */
export function seoulTime(iso) {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : new Intl.DateTimeFormat(currentLang() === 'ko' ? 'ko-KR' : 'en-GB',
    { timeZone: 'Asia/Seoul', dateStyle: 'medium', timeStyle: 'medium' }).format(d);
}
