// Shared by every page: navigation, session, API calls, polling, formatting.
// No framework; DOM built with h() so cluster data is always inserted as text, never as HTML.
'use strict';

const CR = (() => {
  const PAGES = [
    ['overview', '/', 'Overview'], ['nodes', '/nodes.html', 'Nodes'], ['ring', '/ring.html', 'Ring'],
    ['migrations', '/migrations.html', 'Migrations'], ['lookup', '/lookup.html', 'Key lookup'],
    ['charts', '/charts.html', 'Charts'], ['events', '/events.html', 'Events'],
  ];
  // Tableau-like palette; a node's colour is fixed by its place among the sorted node ids.
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#e15759', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7',
    '#9c755f', '#86bcb6', '#d37295', '#a0cbe8', '#8cd17d', '#f1ce63', '#79706e', '#bab0ac'];

  let session = { loggedIn: false, requireLogin: false, csrfToken: null };

  function h(tag, attrs, ...children) {
    const el = tag === 'svg' || attrs?.svg ? document.createElementNS('http://www.w3.org/2000/svg', tag)
                                          : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false || k === 'svg') continue;
      if (k === 'class') el.setAttribute('class', v);
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function svg(tag, attrs, ...children) {
    return h(tag, { ...attrs, svg: true }, ...children);
  }

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  async function call(method, path, body) {
    const opts = { method, headers: { 'Accept': 'application/json' }, credentials: 'same-origin' };
    if (method !== 'GET') {
      opts.headers['Content-Type'] = 'application/json';
      if (session.csrfToken) opts.headers['X-CSRF-Token'] = session.csrfToken;
      opts.body = JSON.stringify(body || {});
    }
    let res;
    try {
      res = await fetch(path, opts);
    } catch (e) {
      throw new ApiError(0, 'the admin UI server does not answer (' + e.message + ')');
    }
    let data = null;
    try { data = await res.json(); } catch (e) { /* not JSON */ }
    if (!res.ok) {
      if (res.status === 401 && session.requireLogin && method === 'GET') toLogin();
      throw new ApiError(res.status, (data && data.error) || ('HTTP ' + res.status));
    }
    return data;
  }

  const api = (path) => call('GET', path);
  const post = (path, body) => call('POST', path, body);

  function toLogin() {
    location.href = '/login.html?next=' + encodeURIComponent(location.pathname + location.search);
  }

  async function loadSession() {
    try { session = await api('/api/session'); } catch (e) { /* shown by the page's own calls */ }
    return session;
  }

  function renderChrome(page) {
    const nav = h('nav', null, PAGES.map(([id, href, label]) =>
      h('a', { href, class: id === page ? 'active' : null, id: 'nav-' + id }, label)));
    const who = h('div', { class: 'who', id: 'who' });
    const header = h('header', { class: 'top' },
      h('div', { class: 'brand' }, h('img', { src: '/favicon.svg', width: 22, height: 22, alt: '' }), 'Chainring'),
      nav, who);
    const bar = h('div', { class: 'statusbar' },
      h('span', { id: 'cluster-name' }, ''), h('span', { id: 'ring-epoch' }, ''),
      h('span', { class: 'spacer' }), h('span', { id: 'updated' }, 'loading…'));
    const banner = h('div', { class: 'banner error hidden', id: 'error-banner' });
    document.body.prepend(header, bar, banner);
    renderWho();
  }

  function renderWho() {
    const who = document.getElementById('who');
    if (!who) return;
    who.replaceChildren();
    if (session.loggedIn) {
      who.append(h('span', { id: 'who-state' }, 'admin'),
        h('button', { id: 'logout', onclick: async () => {
          try { await post('/api/logout'); } finally { location.href = '/login.html'; }
        } }, 'Log out'));
    } else {
      who.append(h('span', { id: 'who-state' }, 'read-only'),
        h('a', { class: 'button', id: 'login-link', href: '/login.html?next=' + encodeURIComponent(location.pathname) }, 'Log in'));
    }
  }

  let lastUpdate = null;
  function showUpdated(data) {
    lastUpdate = data && data.updatedMillis ? data.updatedMillis : Date.now();
    document.getElementById('updated').textContent = 'updated ' + ago(lastUpdate);
    showError(data && data.error ? data.error : null);
  }
  setInterval(() => {
    const el = document.getElementById('updated');
    if (el && lastUpdate) el.textContent = 'updated ' + ago(lastUpdate);
  }, 1000);

  function showError(msg) {
    const b = document.getElementById('error-banner');
    if (!b) return;
    b.textContent = msg || '';
    b.classList.toggle('hidden', !msg);
  }

  function showRing(cluster, epoch) {
    if (cluster) document.getElementById('cluster-name').textContent = 'cluster ' + cluster;
    if (epoch !== null && epoch !== undefined) document.getElementById('ring-epoch').textContent = 'ring epoch ' + epoch;
  }

  // Runs fn now and then every ms; never two at once; errors go to the banner.
  function poll(fn, ms) {
    let running = false;
    const tick = async () => {
      if (running) return;
      running = true;
      try { await fn(); } catch (e) { showError(e.message); } finally { running = false; }
    };
    tick();
    return setInterval(tick, ms);
  }

  function ago(ms) {
    const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
    if (s < 60) return s + ' s ago';
    if (s < 3600) return Math.floor(s / 60) + ' min ago';
    return Math.floor(s / 3600) + ' h ago';
  }

  function bytes(n) {
    if (n === null || n === undefined) return '—';
    const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
    let i = 0; let v = n;
    while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v : v.toFixed(1)) + ' ' + u[i];
  }

  function num(n, digits) {
    if (n === null || n === undefined || Number.isNaN(n)) return '—';
    return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits ?? 0 });
  }

  function duration(ms) {
    if (ms === null || ms === undefined) return '—';
    const s = Math.floor(ms / 1000);
    if (s < 60) return s + ' s';
    if (s < 3600) return Math.floor(s / 60) + ' min';
    if (s < 86400) return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
    return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
  }

  function time(ms) {
    return new Date(ms).toLocaleTimeString('en-GB');
  }

  // colours are assigned over the sorted ids, so every page gives a node the same colour
  let colorIds = [];
  function setNodes(ids) { colorIds = [...ids].sort(); }
  function color(id) {
    const i = colorIds.indexOf(id);
    return i < 0 ? '#999' : PALETTE[i % PALETTE.length];
  }

  function chain(ids, live) {
    if (!ids || ids.length === 0) return h('span', { class: 'pill unavailable' }, 'empty chain');
    const parts = [];
    ids.forEach((id, i) => {
      if (i > 0) parts.push(h('span', { class: 'link' }, '→'));
      const down = live && !live(id);
      parts.push(h('span', { class: 'chain-node', title: down ? id + ' is down' : id },
        h('span', { class: 'swatch', style: { background: color(id) } }), down ? id + ' (down)' : id));
    });
    return h('span', { class: 'chain' }, parts);
  }

  function pill(text, cls) {
    return h('span', { class: 'pill ' + (cls || String(text).toLowerCase()) }, text);
  }

  async function start(page, init) {
    await loadSession();
    renderChrome(page);
    await init();
  }

  return { h, svg, api, post, poll, start, session: () => session, showUpdated, showError, showRing, ago, bytes, num,
    duration, time, color, setNodes, chain, pill, ApiError };
})();
