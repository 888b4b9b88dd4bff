// Group chat over the WebSocket /chat/ws (docs/chat.md): join a group, its history (and older pages on
// demand), live messages, presence count. After a drop it reconnects and rejoins with sinceSeq, so the
// server replays what was missed; after a token refresh it re-authenticates the open socket.
import { h, render } from '../dom.js';
import { t, currentLang } from '../i18n.js';
import { accessToken, currentUser, onSessionChange, query } from '../api.js';
import { field, heading, say } from '../ui.js';

let active = null; // the open chat, closed when the page is left

onSessionChange((user, token) => {
  if (!active) return;
  if (!user) active.close();
  else active.send({ action: 'auth', token });
});

export function chatPage(params, go) {
  if (!currentUser()) return go(`#/login${query({ next: '#/chat' })}`);
  active?.close();
  const group = params.get('group');
  const name = h('input', { type: 'text', name: 'group', value: group ?? 'lobby', maxlength: 64 });
  const joinForm = h('form', { class: 'filters', id: 'chat-join' }, field(t('chat.group'), name), h('button', { type: 'submit' }, t('chat.join')));
  joinForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    go(`#/chat${query({ group: name.value })}`);
  });
  if (!group) return [heading(t('chat.title')), joinForm];

  const online = h('p', { class: 'meta', id: 'chat-online' });
  const older = h('button', { type: 'button', class: 'secondary', hidden: true }, t('chat.older'));
  const list = h('ol', { class: 'messages', id: 'chat-messages', 'aria-label': t('chat.messages', { group }), 'aria-live': 'polite' });
  const text = h('input', { type: 'text', name: 'message', autocomplete: 'off', maxlength: 4096, required: true });
  const sendForm = h('form', { class: 'send', id: 'chat-send' }, field(t('chat.message'), text), h('button', { type: 'submit' }, t('chat.send')));
  const leave = h('button', { type: 'button', class: 'secondary', id: 'chat-leave' }, t('chat.leave'));
  const chat = new GroupChat(group, { online, older, list });
  active = chat;
  sendForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!text.value.trim()) return;
    chat.send({ action: 'sendMessage', groupId: group, message: text.value });
    text.value = '';
  });
  older.addEventListener('click', () => chat.older());
  leave.addEventListener('click', () => {
    chat.send({ action: 'leaveGroup', groupId: group });
    chat.close();
    say(t('chat.left'));
    go('#/chat');
  });
  window.addEventListener('hashchange', () => chat.close(), { once: true });
  return [heading(`${t('chat.title')} · ${group}`), online, older, list, sendForm, leave];
}

class GroupChat {
  constructor(group, view) {
    this.group = group;
    this.view = view;
    this.seqs = new Map(); // message seq -> its <li>
    this.lastSeq = null;
    this.closed = false;
    this.retry = 500;
    this.connect();
  }

  connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/chat/ws`;
    this.socket = new WebSocket(url, ['bearer', accessToken()]);
    this.socket.addEventListener('open', () => {
      this.retry = 500;
      const join = { action: 'joinGroup', groupId: this.group };
      if (this.lastSeq !== null) join.sinceSeq = this.lastSeq;
      this.send(join);
    });
    this.socket.addEventListener('message', (ev) => this.receive(JSON.parse(ev.data)));
    this.socket.addEventListener('close', () => {
      if (this.closed) return;
      say(t('chat.reconnecting'));
      setTimeout(() => this.closed || this.connect(), this.retry);
      this.retry = Math.min(this.retry * 2, 10_000);
    });
  }

  send(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  close() {
    this.closed = true;
    this.socket?.close(1000);
    if (active === this) active = null;
  }

  older() {
    const oldest = Math.min(...this.seqs.keys());
    this.send({ action: 'history', groupId: this.group, before: oldest, limit: 50 });
  }

  receive(f) {
    switch (f.type) {
      case 'joined':
        if (this.lastSeq === null) {
          say(t('chat.joined', { group: this.group }));
          this.send({ action: 'history', groupId: this.group, limit: 50 });
        } else if (f.missed) {
          say(t('chat.missed', { count: f.missed }));
        }
        break;
      case 'history':
        f.messages.forEach((m) => this.show(m));
        this.view.older.hidden = !f.hasMore;
        break;
      case 'message':
        this.show(f);
        break;
      case 'edited':
      case 'deleted': {
        const li = this.seqs.get(f.messageSeq);
        if (li) li.querySelector('.text').textContent = f.type === 'deleted' ? t('chat.deleted') : f.message;
        break;
      }
      case 'presence':
        this.view.online.textContent = t('chat.online', { count: f.count });
        break;
      case 'error':
        say(f.message);
        break;
      default:
    }
  }

  /** Adds a message in seq order (history pages arrive older than what is shown), once. */
  show(m) {
    if (this.seqs.has(m.seq)) return;
    const li = h('li', { class: 'message' },
      h('span', { class: 'sender' }, m.sender?.name || m.sender?.id || ''), ' ',
      h('span', { class: 'text' }, m.deleted ? t('chat.deleted') : m.message),
      h('time', { datetime: m.createdAt }, new Date(m.createdAt).toLocaleTimeString(currentLang() === 'ko' ? 'ko-KR' : 'en-US', { hour: '2-digit', minute: '2-digit' })));
    li.dataset.seq = m.seq;
    const after = [...this.seqs.keys()].filter((s) => s > m.seq).sort((a, b) => a - b)[0];
    this.view.list.insertBefore(li, after === undefined ? null : this.seqs.get(after));
    this.seqs.set(m.seq, li);
    this.lastSeq = Math.max(this.lastSeq ?? 0, m.seq);
  }
}
