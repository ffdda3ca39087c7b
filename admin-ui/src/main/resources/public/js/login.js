// Login page: posts the token as JSON; the server sets an HttpOnly, SameSite=Strict session cookie.
'use strict';

(() => {
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  const params = new URLSearchParams(location.search);
  const next = safeNext(params.get('next'));

  fetch('/api/session', { credentials: 'same-origin' }).then(r => r.json()).then(s => {
    if (s.requireLogin) document.getElementById('read-only-link').classList.add('hidden');
  }).catch(() => {});

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.classList.add('hidden');
    const token = document.getElementById('token').value;
    let res;
    try {
      res = await fetch('/api/login', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', 'Accept': 'application/json' },
        body: JSON.stringify({ token }),
      });
    } catch (err) {
      show('The admin UI server does not answer.');
      return;
    }
    if (res.ok) {
      location.href = next === '/login.html' ? '/' : next;
      return;
    }
    let msg = 'HTTP ' + res.status;
    try { msg = (await res.json()).error || msg; } catch (err) { /* not JSON */ }
    show(res.status === 401 ? 'Wrong admin token.' : msg);
  });

  // only a path of this origin, so the page cannot redirect elsewhere: browsers read '/\\evil.example'
  // like '//evil.example', another host
  function safeNext(raw) {
    if (!raw || !raw.startsWith('/') || raw.startsWith('//') || raw.includes('\\')) return '/';
    try {
      const u = new URL(raw, location.origin);
      return u.origin === location.origin ? u.pathname + u.search + u.hash : '/';
    } catch (err) {
      return '/';
    }
  }

  function show(msg) {
    error.textContent = msg;
    error.classList.remove('hidden');
    document.getElementById('token').select();
  }
})();
