// The AI assistant (docs/assistant.md): conversations (list, new with a prompt and its variables, rename,
// delete), replies streamed over the WebSocket /ai/ws with a Stop button, markdown shown safely, usage and
// quota left. A reply keeps being written by the server when the page is left; the page remembers it sent
// one (sessionStorage) and, reopened before the reply is saved, waits for it and shows it.
import { h } from '../dom.js';
import { t, currentLang, formatNumber } from '../i18n.js';
import { accessToken, api, currentUser, onSessionChange, query } from '../api.js';
import { errorBox, field, heading, loading, say } from '../ui.js';
import { markdownRenderer } from '../markdown.js';

const PENDING = 'plaza.ai.pending';
let active = null; // the open conversation's socket, closed when the page is left

onSessionChange((user, token) => {
  if (!active) return;
  if (!user) active.close();
  else active.send({ action: 'auth', token });
});

function when(iso) {
  return new Date(iso).toLocaleString(currentLang() === 'ko' ? 'ko-KR' : 'en-US', { dateStyle: 'medium', timeStyle: 'short' });
}

/** "Today 1,234 of 50,000 tokens · this month …", or unlimited. */
function quotaLine() {
  const el = h('p', { class: 'meta', id: 'ai-quota' });
  el.refresh = () => api('GET', '/ai/usage/quota').then((q) => {
    const part = (used, limit, key) => (limit > 0
      ? t(key, { used: formatNumber(used), left: formatNumber(Math.max(0, limit - used)), limit: formatNumber(limit) })
      : t(`${key}Unlimited`, { used: formatNumber(used) }));
    el.textContent = `${part(q.usedToday, q.dailyLimit, 'ai.quotaToday')} · ${part(q.usedThisMonth, q.monthlyLimit, 'ai.quotaMonth')}`;
  }).catch(() => { el.hidden = true; });
  el.refresh();
  return el;
}

export function assistantPage(params, go) {
  if (!currentUser()) return go(`#/login${query({ next: '#/assistant' })}`);
  active?.close();
  const list = h('ul', { class: 'conversations', id: 'ai-conversations', 'aria-label': t('ai.conversations') }, h('li', {}, loading()));
  api('GET', '/ai/conversations?limit=50').then((page) => {
    list.replaceChildren(...(page.items.length ? page.items.map((c) => h('li', {},
      h('a', { href: `#/assistant/${c.id}`, class: 'name' }, c.title || t('ai.untitled')), ' ',
      h('time', { class: 'meta', datetime: c.updatedAt }, when(c.updatedAt)))) : [h('li', { class: 'meta' }, t('ai.none'))]));
  }).catch((e) => list.replaceChildren(h('li', {}, errorBox(e))));
  const start = newConversationForm(go);
  return [heading(t('ai.title')), quotaLine(), start.section,
    h('h2', {}, t('ai.conversations')), list, promptForm(start.addPrompt)];
}

function newConversationForm(go) {
  const title = h('input', { type: 'text', name: 'title', maxlength: 200 });
  const prompt = h('select', { name: 'prompt' }, h('option', { value: '' }, t('ai.noPrompt')));
  const vars = h('div', { class: 'vars', id: 'ai-variables' });
  const errors = h('div');
  let prompts = [];
  api('GET', '/ai/prompts').then((r) => {
    prompts = r.items;
    prompt.append(...prompts.map((p) => h('option', { value: p.id }, p.name)));
  }).catch(() => {});
  const addPrompt = (p) => {
    prompts.push(p);
    prompt.append(h('option', { value: p.id }, p.name));
  };
  prompt.addEventListener('change', () => {
    const chosen = prompts.find((p) => p.id === prompt.value);
    vars.replaceChildren(...(chosen?.variables ?? []).map((v) =>
      field(t('ai.variable', { name: v }), h('input', { type: 'text', name: `var-${v}`, 'data-var': v, required: true, maxlength: 1000 }))));
  });
  const form = h('form', { class: 'form', id: 'ai-new' }, field(t('ai.newTitle'), title), field(t('ai.prompt'), prompt), vars, errors,
    h('button', { type: 'submit' }, t('ai.start')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    const body = {};
    if (title.value.trim()) body.title = title.value.trim();
    if (prompt.value) {
      body.promptId = prompt.value;
      body.variables = Object.fromEntries([...vars.querySelectorAll('input')].map((i) => [i.dataset.var, i.value]));
    }
    try {
      const c = await api('POST', '/ai/conversations', body);
      go(`#/assistant/${c.id}`);
    } catch (e) {
      errors.append(errorBox(e));
    }
  });
  return { section: h('section', { 'aria-labelledby': 'ai-new-h' }, h('h2', { id: 'ai-new-h' }, t('ai.new')), form), addPrompt };
}

function promptForm(added) {
  const name = h('input', { type: 'text', name: 'prompt-name', required: true, maxlength: 100 });
  const template = h('textarea', { name: 'template', required: true, rows: 3, maxlength: 20000 });
  const errors = h('div');
  const form = h('form', { class: 'form', id: 'ai-prompt' }, field(t('ai.promptName'), name), field(t('ai.template'), template), errors,
    h('button', { type: 'submit', class: 'secondary' }, t('ai.savePrompt')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    errors.replaceChildren();
    try {
      const p = await api('POST', '/ai/prompts', { name: name.value.trim(), template: template.value });
      say(t('ai.promptSaved', { name: p.name }));
      added(p);
      name.value = '';
      template.value = '';
    } catch (e) {
      errors.append(errorBox(e));
    }
  });
  return h('details', { class: 'prompt-form' }, h('summary', {}, t('ai.newPrompt')), h('p', { class: 'meta' }, t('ai.templateHint')), form);
}

export function conversationPage(params, go, id) {
  if (!currentUser()) return go(`#/login${query({ next: `#/assistant/${id}` })}`);
  active?.close();
  const title = heading(t('ai.title'));
  const system = h('p', { class: 'meta', id: 'ai-system', hidden: true });
  // Not a live region: a reply arriving word by word would be read out word by word; its end is announced instead.
  const list = h('ol', { class: 'ai-messages', id: 'ai-messages', 'aria-label': t('ai.messages') }, h('li', {}, loading()));
  const text = h('textarea', { name: 'message', rows: 3, required: true, maxlength: 100000 });
  const send = h('button', { type: 'submit' }, t('ai.send'));
  const stop = h('button', { type: 'button', class: 'secondary', id: 'ai-stop', hidden: true }, t('ai.stop'));
  const composer = h('form', { class: 'composer', id: 'ai-send' }, field(t('ai.message'), text), h('div', { class: 'actions' }, send, stop));
  const rename = h('input', { type: 'text', name: 'rename', maxlength: 200 });
  const renameForm = h('form', { class: 'filters', id: 'ai-rename' }, field(t('ai.rename'), rename), h('button', { type: 'submit', class: 'secondary' }, t('ai.renameSave')));
  const remove = h('button', { type: 'button', class: 'secondary danger-text', id: 'ai-delete' }, t('ai.delete'));
  const quota = quotaLine();
  const view = new Conversation(id, { title, system, list, text, send, stop, rename, quota });
  active = view;

  composer.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (text.value.trim()) view.ask(text.value);
  });
  text.addEventListener('keydown', (ev) => {
    if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) composer.requestSubmit();
  });
  stop.addEventListener('click', () => view.stop());
  renameForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      const c = await api('PATCH', `/ai/conversations/${id}`, { title: rename.value.trim() });
      title.textContent = c.title || t('ai.untitled');
      say(t('ai.renamed'));
    } catch (e) {
      say(e.message);
    }
  });
  remove.addEventListener('click', async () => {
    try {
      await api('DELETE', `/ai/conversations/${id}`);
      view.close();
      sessionStorage.removeItem(PENDING);
      say(t('ai.deleted'));
      go('#/assistant');
    } catch (e) {
      say(e.message);
    }
  });
  window.addEventListener('hashchange', () => view.close(), { once: true });
  return [h('p', {}, h('a', { href: '#/assistant' }, t('ai.back'))), title, system, quota, list, composer,
    h('details', { class: 'manage' }, h('summary', {}, t('ai.manage')), renameForm, remove)];
}

class Conversation {
  constructor(id, view) {
    this.id = id;
    this.view = view;
    this.closed = false;
    this.running = null; // {requestId, li, text}
    this.load();
    this.connect();
  }

  async load() {
    try {
      const c = await api('GET', `/ai/conversations/${this.id}`);
      if (this.closed) return;
      this.view.title.textContent = c.title || t('ai.untitled');
      this.view.rename.value = c.title ?? '';
      if (c.systemPrompt) {
        this.view.system.hidden = false;
        this.view.system.textContent = t('ai.system', { prompt: c.systemPrompt });
      }
      this.view.list.replaceChildren(...c.messages.map((m) => this.message(m.role, m.content, m.status)));
      this.awaitPending(c.messages.length);
    } catch (e) {
      this.view.list.replaceChildren(h('li', {}, errorBox(e)));
    }
  }

  /** A reply sent from an earlier visit and not saved yet: shown as being written, then read again until it is. */
  awaitPending(count) {
    const pending = JSON.parse(sessionStorage.getItem(PENDING) ?? 'null');
    if (!pending || pending.conversationId !== this.id) return;
    if (count > pending.count || Date.now() - pending.at > 5 * 60_000) {
      sessionStorage.removeItem(PENDING);
      return;
    }
    const waiting = h('li', { class: 'ai-message assistant writing', id: 'ai-pending' }, h('span', { class: 'role' }, t('ai.assistant')),
      h('p', { class: 'meta' }, t('ai.stillWriting')));
    this.view.list.append(this.message('user', pending.content), waiting);
    setTimeout(() => this.closed || this.load(), 1000);
  }

  connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ai/ws`;
    this.socket = new WebSocket(url, ['bearer', accessToken()]);
    this.socket.addEventListener('message', (ev) => this.receive(JSON.parse(ev.data)));
    this.socket.addEventListener('close', () => {
      if (this.closed) return;
      this.finish();
      setTimeout(() => this.closed || this.connect(), 1000);
    });
  }

  send(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify(frame));
      return true;
    }
    return false;
  }

  close() {
    this.closed = true;
    this.socket?.close(1000);
    if (active === this) active = null;
  }

  ask(content) {
    if (this.running) return;
    const requestId = crypto.randomUUID();
    if (!this.send({ action: 'message', conversationId: this.id, content, requestId })) {
      say(t('ai.offline'));
      return;
    }
    const count = this.view.list.querySelectorAll('.ai-message').length;
    sessionStorage.setItem(PENDING, JSON.stringify({ conversationId: this.id, content, count, at: Date.now() }));
    this.view.list.append(this.message('user', content));
    const li = this.message('assistant', '', 'writing');
    li.classList.add('writing');
    this.view.list.append(li);
    this.running = { requestId, li, text: '' };
    this.view.text.value = '';
    this.view.send.disabled = true;
    this.view.stop.hidden = false;
  }

  stop() {
    if (this.running) this.send({ action: 'cancel', requestId: this.running.requestId });
  }

  receive(f) {
    const r = this.running;
    if (f.type === 'delta' && r && f.requestId === r.requestId) {
      r.text += f.text;
      this.fill(r.li, r.text);
    } else if (f.type === 'done' && r && f.requestId === r.requestId) {
      sessionStorage.removeItem(PENDING);
      r.li.classList.remove('writing');
      this.fill(r.li, r.text, f.status);
      this.finish();
      this.view.quota.refresh();
      say(t(f.status === 'cancelled' ? 'ai.cancelled' : 'ai.replied'));
    } else if (f.type === 'error' && (!f.requestId || (r && f.requestId === r.requestId))) {
      if (r) {
        sessionStorage.removeItem(PENDING);
        r.li.replaceWith(h('li', { class: 'ai-message error', role: 'alert' }, t('error', { detail: f.detail || f.title })));
        this.finish();
      } else {
        say(f.detail || f.title);
      }
    }
  }

  finish() {
    this.running = null;
    this.view.send.disabled = false;
    this.view.stop.hidden = true;
  }

  /** One message: a user's as text, the assistant's as sanitised markdown (text until the renderer loads). */
  message(role, content, status) {
    const body = h('div', { class: 'body' });
    const li = h('li', { class: `ai-message ${role}` }, h('span', { class: 'role' }, t(role === 'user' ? 'ai.you' : 'ai.assistant')), body);
    this.fill(li, content, status);
    return li;
  }

  fill(li, content, status) {
    const body = li.querySelector('.body');
    if (li.classList.contains('user')) {
      body.replaceChildren(h('p', {}, content));
    } else {
      body.replaceChildren(h('p', {}, content));
      markdownRenderer().then((render) => body.replaceChildren(render(content))).catch(() => {});
    }
    li.querySelector('.state')?.remove();
    if (status === 'cancelled' || status === 'truncated') {
      li.append(h('p', { class: 'state meta' }, t(status === 'cancelled' ? 'ai.cancelled' : 'ai.truncated')));
    }
  }
}
