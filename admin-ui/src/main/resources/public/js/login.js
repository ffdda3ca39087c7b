// Login page: posts the token as JSON; the server sets an HttpOnly, SameSite=Strict session cookie.
'use strict';

(() => {
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  const params = new URLSearchParams(location.search);
  // only same-site paths, so the page cannot be used to redirect elsewhere
  const next = (params.get('next') || '/').startsWith('/') && !(params.get('next') || '').startsWith('//')
    ? (params.get('next') || '/') : '/';

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

  function show(msg) {
    error.textContent = msg;
    error.classList.remove('hidden');
    document.getElementById('token').select();
  }
})();
