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
  const typing = h('p', { class: 'meta typing', id: 'chat-typing', 'aria-live': 'polite' });
  const older = h('button', { type: 'button', class: 'secondary', hidden: true }, t('chat.older'));
  const list = h('ol', { class: 'messages', id: 'chat-messages', 'aria-label': t('chat.messages', { group }), 'aria-live': 'polite' });
  const text = h('input', { type: 'text', name: 'message', autocomplete: 'off', maxlength: 4096, required: true });
  const sendForm = h('form', { class: 'send', id: 'chat-send' }, field(t('chat.message'), text), h('button', { type: 'submit' }, t('chat.send')));
  const leave = h('button', { type: 'button', class: 'secondary', id: 'chat-leave' }, t('chat.leave'));
  const chat = new GroupChat(group, { online, older, list, typing });
  active = chat;
  sendForm.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (!text.value.trim()) return;
    chat.send({ action: 'sendMessage', groupId: group, message: text.value });
    text.value = '';
    chat.typing(false);
  });
  text.addEventListener('input', () => chat.typing(text.value !== ''));
  text.addEventListener('blur', () => chat.typing(false));
  // Scrolled to the top: the next older page, as the button would.
  list.addEventListener('scroll', () => { if (list.scrollTop === 0 && !older.hidden) chat.older(); });
  older.addEventListener('click', () => chat.older());
  leave.addEventListener('click', () => {
    chat.send({ action: 'leaveGroup', groupId: group });
    chat.close();
    say(t('chat.left'));
    go('#/chat');
  });
  window.addEventListener('hashchange', () => chat.close(), { once: true });
  return [heading(`${t('chat.title')} · ${group}`), online, older, list, typing, sendForm, leave];
}

class GroupChat {
  constructor(group, view) {
    this.group = group;
    this.view = view;
    this.seqs = new Map(); // message seq -> its <li>
    this.lastSeq = null;
    this.closed = false;
    this.retry = 500;
    this.typists = new Map(); // user id -> {name, timer}
    this.typingSent = 0; // when typing:true was last sent (at most every 3 s)
    this.loadingOlder = false;
    this.retrying = false;
    // A watchdog: should a retry never come (a throttled or lost timer), a closed socket is reopened anyway.
    this.watchdog = setInterval(() => {
      if (!this.closed && !this.retrying && this.socket?.readyState === WebSocket.CLOSED) this.connect();
    }, 5000);
    this.connect();
  }

  /** The next try after a drop: 0.5 s, doubling to 10 s. */
  retryLater() {
    say(t('chat.reconnecting'));
    this.retrying = true;
    setTimeout(() => {
      this.retrying = false;
      if (!this.closed) this.connect();
    }, this.retry);
    this.retry = Math.min(this.retry * 2, 10_000);
  }

  connect() {
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/chat/ws`;
    try {
      this.socket = new WebSocket(url, ['bearer', accessToken()]);
    } catch {
      this.retryLater(); // e.g. signed out meanwhile: the next try sees the new state
      return;
    }
    this.socket.addEventListener('open', () => {
      this.retry = 500;
      const join = { action: 'joinGroup', groupId: this.group };
      if (this.lastSeq !== null) join.sinceSeq = this.lastSeq;
      this.send(join);
    });
    this.socket.addEventListener('message', (ev) => this.receive(JSON.parse(ev.data)));
    this.socket.addEventListener('close', () => {
      if (!this.closed) this.retryLater();
    });
  }

  send(frame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  close() {
    this.closed = true;
    clearInterval(this.watchdog);
    this.socket?.close(1000);
    if (active === this) active = null;
  }

  /** Tells the others this user is typing (throttled) or stopped. */
  typing(on) {
    const now = Date.now();
    if (on && now - this.typingSent < 3000) return;
    if (!on && this.typingSent === 0) return;
    this.typingSent = on ? now : 0;
    this.send({ action: 'typing', groupId: this.group, typing: on });
  }

  showTypists() {
    const names = [...this.typists.values()].map((u) => u.name);
    this.view.typing.textContent = names.length ? t('chat.typing', { names: names.join(', ') }) : '';
  }

  older() {
    if (this.loadingOlder || !this.seqs.size) return;
    this.loadingOlder = true;
    const oldest = Math.min(...this.seqs.keys());
    this.send({ action: 'history', groupId: this.group, before: oldest, limit: 50 });
  }

  receive(f) {
    switch (f.type) {
      case 'joined':
        if (this.lastSeq === null) {
          say(t('chat.joined', { group: this.group }));
          this.send({ action: 'history', groupId: this.group, limit: 50 });
        } else if (f.recovered === false) {
          // Too much missed (or history purged) to replay: read the latest page again instead.
          this.send({ action: 'history', groupId: this.group, limit: 50 });
        } else if (f.missed) {
          say(t('chat.missed', { count: f.missed }));
        }
        break;
      case 'history': {
        // Older pages go above what is shown; keep the view where the reader was.
        const list = this.view.list;
        const fromBottom = list.scrollHeight - list.scrollTop;
        const first = this.lastSeq === null;
        f.messages.forEach((m) => this.show(m));
        this.view.older.hidden = !f.hasMore;
        list.scrollTop = first ? list.scrollHeight : list.scrollHeight - fromBottom;
        this.loadingOlder = false;
        break;
      }
      case 'message': {
        const list = this.view.list;
        const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        this.show(f);
        if (atBottom) list.scrollTop = list.scrollHeight;
        this.stoppedTyping(f.sender?.id);
        break;
      }
      case 'edited': {
        const li = this.seqs.get(f.messageSeq);
        if (li) {
          li.querySelector('.text').textContent = f.message;
          li.querySelector('.edited').hidden = false;
        }
        break;
      }
      case 'deleted': {
        const li = this.seqs.get(f.messageSeq);
        if (li) this.markDeleted(li);
        break;
      }
      case 'typing':
        if (f.typing) {
          clearTimeout(this.typists.get(f.user.id)?.timer);
          this.typists.set(f.user.id, { name: f.user.name || f.user.id, timer: setTimeout(() => this.stoppedTyping(f.user.id), 5000) });
          this.showTypists();
        } else {
          this.stoppedTyping(f.user.id);
        }
        break;
      case 'presence':
        this.view.online.textContent = t('chat.online', { count: f.count });
        break;
      case 'error':
        say(f.message);
        break;
      default:
    }
  }

  stoppedTyping(userId) {
    const u = this.typists.get(userId);
    if (!u) return;
    clearTimeout(u.timer);
    this.typists.delete(userId);
    this.showTypists();
  }

  markDeleted(li) {
    li.classList.add('deleted');
    li.querySelector('.text').textContent = t('chat.deleted');
    li.querySelector('.edited').hidden = true;
    li.querySelector('.own')?.remove();
  }

  /** The edit and delete buttons of one's own message; editing swaps the text for a small form. */
  ownControls(m, li) {
    const edit = h('button', { type: 'button', class: 'link edit', 'aria-label': t('chat.editLabel') }, t('chat.edit'));
    const remove = h('button', { type: 'button', class: 'link delete', 'aria-label': t('chat.deleteLabel') }, t('chat.delete'));
    edit.addEventListener('click', () => {
      const text = li.querySelector('.text');
      const input = h('input', { type: 'text', name: 'edit', value: text.textContent, maxlength: 4096, required: true, 'aria-label': t('chat.editLabel') });
      const form = h('form', { class: 'edit-form' }, input, h('button', { type: 'submit' }, t('chat.save')),
        h('button', { type: 'button', class: 'secondary', onclick: () => form.replaceWith(text) }, t('chat.cancel')));
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        if (input.value.trim() && input.value !== text.textContent) {
          this.send({ action: 'editMessage', groupId: this.group, messageId: m.messageId, message: input.value });
        }
        form.replaceWith(text);
      });
      text.replaceWith(form);
      input.focus();
    });
    remove.addEventListener('click', () => this.send({ action: 'deleteMessage', groupId: this.group, messageId: m.messageId }));
    return h('span', { class: 'own' }, edit, remove);
  }

  /** Adds a message in seq order (history pages arrive older than what is shown), once. */
  show(m) {
    if (this.seqs.has(m.seq)) return;
    const mine = m.sender?.id && m.sender.id === currentUser()?.user_id;
    const li = h('li', { class: 'message' },
      h('span', { class: 'sender' }, m.sender?.name || m.sender?.id || ''), ' ',
      h('span', { class: 'text' }, m.deleted ? t('chat.deleted') : m.message),
      h('span', { class: 'edited meta', hidden: !m.editedAt || m.deleted }, t('chat.edited')),
      h('time', { datetime: m.createdAt }, new Date(m.createdAt).toLocaleTimeString(currentLang() === 'ko' ? 'ko-KR' : 'en-US', { hour: '2-digit', minute: '2-digit' })));
    if (mine && !m.deleted) li.append(this.ownControls(m, li));
    if (m.deleted) li.classList.add('deleted');
    li.dataset.seq = m.seq;
    const after = [...this.seqs.keys()].filter((s) => s > m.seq).sort((a, b) => a - b)[0];
    this.view.list.insertBefore(li, after === undefined ? null : this.seqs.get(after));
    this.seqs.set(m.seq, li);
    this.lastSeq = Math.max(this.lastSeq ?? 0, m.seq);
  }
}
