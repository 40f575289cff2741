// The chat page: plain DOM, no build step. Every text from the server or a user is inserted with
// textContent, so HTML in messages is shown, never interpreted.
'use strict';

// lastId: the newest id of the room's contiguous stream seen so far (history, then socket), from
// which a (re)connected socket resumes: the server replays what came after it, then goes live.
const state = { user: null, room: null, socket: null, seen: new Set(), lastId: 0, treeTimer: null };

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function status(text, isError) {
  const line = $('status');
  line.textContent = text || '';
  line.classList.toggle('error', Boolean(isError));
}

async function api(method, path, body) {
  const options = { method, headers: { Accept: 'application/json' } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const type = response.headers.get('Content-Type') || '';
  const data = type.includes('json') ? await response.json() : null;
  return { status: response.status, ok: response.ok, data, response };
}

function problemText(result) {
  const d = result.data;
  return d && (d.detail || d.title) ? `${d.title || 'Error'}: ${d.detail || ''}` : `HTTP ${result.status}`;
}

const segment = (name) => encodeURIComponent(name);

// --- user

async function signIn(event) {
  event.preventDefault();
  const username = $('username').value.trim();
  const created = await api('POST', '/api/users', { username });
  if (!created.ok && created.status !== 409) {
    status(problemText(created), true);
    return;
  }
  state.user = username;
  $('current-user').textContent = `Signed in as ${username}`;
  status(created.status === 201 ? `Registered ${username}` : `Welcome back, ${username}`);
  enableSending();
}

// --- rooms

async function refreshRooms() {
  const result = await api('GET', '/api/rooms');
  if (!result.ok) return;
  const list = $('rooms');
  list.replaceChildren();
  for (const room of result.data) {
    const item = el('li', null, `${room.name} (${room.messageCount})`);
    item.dataset.room = room.name;
    item.addEventListener('click', () => join(room.name));
    list.append(item);
  }
}

async function joinFromForm(event) {
  event.preventDefault();
  const name = $('room-name').value.trim();
  const created = await api('POST', '/api/rooms', { name });
  if (!created.ok && created.status !== 409) {
    status(problemText(created), true);
    return;
  }
  await join(name);
}

async function join(name) {
  if (state.socket) {
    state.socket.onclose = null;
    state.socket.close();
    state.socket = null;
  }
  state.room = name;
  state.seen = new Set();
  state.lastId = 0;
  $('current-room').textContent = name;
  $('messages').replaceChildren();
  $('crash-room').disabled = false;
  const history = await api('GET', `/api/rooms/${segment(name)}/messages?limit=50`);
  if (!history.ok) {
    status(problemText(history), true);
    return;
  }
  if (state.room !== name) return; // another room was joined meanwhile
  for (const message of history.data) received(message);
  connect(name);
  enableSending();
  refreshRooms();
  status(`Joined ${name}`);
}

function connect(name) {
  const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
  const url = `${scheme}://${location.host}/ws/rooms/${segment(name)}?after=${state.lastId}`;
  const socket = new WebSocket(url);
  state.socket = socket;
  $('socket-state').textContent = '(connecting)';
  socket.onopen = () => { $('socket-state').textContent = '(live)'; };
  socket.onmessage = (event) => received(JSON.parse(event.data));
  socket.onclose = () => {
    $('socket-state').textContent = '(reconnecting)';
    setTimeout(() => { if (state.room === name && state.socket === socket) connect(name); }, 1000);
  };
}

// A message of the room's stream (history or socket): shown, and the point to resume from. A
// message this page sent is only shown: messages before it may still be on their way.
function received(message) {
  if (message.room !== state.room) return;
  state.lastId = Math.max(state.lastId, message.id);
  show(message);
}

function show(message) {
  if (message.room !== state.room || state.seen.has(message.id)) return;
  state.seen.add(message.id);
  const item = el('li', 'message');
  item.dataset.id = message.id;
  item.append(el('span', 'user', message.user));
  item.append(el('span', 'content', message.content));
  item.append(el('span', 'time', new Date(message.sentAt).toLocaleTimeString()));
  const list = $('messages');
  // Keep id order even if a live message and the history interleave.
  let before = null;
  for (const other of list.children) {
    if (Number(other.dataset.id) > message.id) { before = other; break; }
  }
  list.insertBefore(item, before);
  if (!before) list.scrollTop = list.scrollHeight;
}

function enableSending() {
  const ready = Boolean(state.user && state.room);
  $('message').disabled = !ready;
  $('send').disabled = !ready;
}

async function send(event) {
  event.preventDefault();
  const input = $('message');
  const content = input.value;
  if (!content.trim()) return;
  const result = await api('POST', `/api/rooms/${segment(state.room)}/messages`, { user: state.user, content });
  if (!result.ok) {
    const wait = result.response.headers.get('Retry-After');
    status(problemText(result) + (wait ? ` (retry in ${wait}s)` : ''), true);
    return;
  }
  input.value = '';
  show(result.data);
  status(`Sent #${result.data.id}`);
}

async function crashRoom() {
  if (!state.room) return;
  const result = await api('POST', `/api/rooms/${segment(state.room)}/crash`);
  if (result.status === 202) {
    status(`Crashed room ${state.room}: its supervisor restarts it`);
  } else if (result.status === 404) {
    status('Crash endpoints are disabled here (prod profile)', true);
  } else {
    status(problemText(result), true);
  }
  refreshTree();
}

// --- supervision tree

async function refreshTree() {
  let result;
  try {
    result = await api('GET', '/actuator/supervisors');
  } catch (e) {
    return;
  }
  if (!result.ok || !result.data) return;
  const root = el('ul');
  for (const supervisor of result.data.supervisors || []) root.append(supervisorItem(supervisor));
  $('tree').replaceChildren(root);
}

/* The key of a "via" name as the supervisors endpoint shows it, via(registry, key); else null. */
function registeredKey(name) {
  const match = /^via\([^,]*, (.*)\)$/.exec(name ?? '');
  return match ? match[1] : null;
}

function supervisorItem(supervisor) {
  const item = el('li');
  const head = el('div');
  head.append(el('span', 'sup', supervisor.name));
  head.append(el('span', 'pid', ` ${supervisor.pid} ${supervisor.dynamic ? 'dynamic' : supervisor.strategy || ''}`));
  head.append(el('span', 'restarts', supervisor.restarts ? ` restarts: ${supervisor.restarts}` : ''));
  item.append(head);
  const children = el('ul');
  for (const child of supervisor.children || []) {
    if (child.supervisor) {
      children.append(supervisorItem(child.supervisor));
      continue;
    }
    const line = el('li', `child state-${child.state}`);
    // Rooms and counters share their spec's id ('room', 'counter'): each is told apart by the
    // registry key it registered under, shown by the endpoint as via(<registry>, <key>).
    const key = registeredKey(child.name);
    line.dataset.child = key ?? child.id;
    if (supervisor.name === 'rooms' && key === state.room) line.classList.add('current');
    line.append(el('span', 'id', key === null ? child.id : `${child.id} ${key}`));
    line.append(el('span', 'state', ` ${child.state}`));
    line.append(el('span', 'pid', child.pid ? ` ${child.pid}` : ''));
    const restarts = el('span', 'restarts', child.restarts ? ` restarts: ${child.restarts}` : '');
    restarts.dataset.restarts = child.restarts;
    line.append(restarts);
    if (child.lastFailure) line.append(el('span', 'failure', ` last failure: ${child.lastFailure.reason}`));
    children.append(line);
  }
  item.append(children);
  return item;
}

// --- start

$('user-form').addEventListener('submit', signIn);
$('room-form').addEventListener('submit', joinFromForm);
$('message-form').addEventListener('submit', send);
$('crash-room').addEventListener('click', crashRoom);
refreshRooms();
refreshTree();
state.treeTimer = setInterval(refreshTree, 1000);
setInterval(refreshRooms, 5000);
