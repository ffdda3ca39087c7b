// Migrations: running and recent partition moves with progress, rate and ETA; the throttle; pause/cancel.
// While the controller cannot migrate, the API answers 501 and this page says why.
'use strict';

CR.start('migrations', async () => {
  const { h } = CR;
  const note = document.getElementById('migrations-unavailable');
  const form = document.getElementById('throttle-form');

  function unavailable(msg) {
    note.textContent = 'Migrations are not available: ' + msg;
    note.classList.remove('hidden');
    form.querySelectorAll('input, button').forEach(x => { x.disabled = true; x.title = msg; });
    document.querySelector('#migrations-table tbody').replaceChildren(
      h('tr', null, h('td', { colspan: 9, class: 'muted' }, 'No migrations.')));
  }

  async function steer(id, verb) {
    try { await CR.post('/api/migrations/' + encodeURIComponent(id) + '/' + verb); } catch (e) { CR.showError(e.message); }
    refresh();
  }

  async function refresh() {
    const overview = await CR.api('/api/overview');
    CR.showUpdated(overview);
    CR.showRing(overview.cluster, overview.epoch);
    let m;
    try {
      m = await CR.api('/api/migrations');
    } catch (e) {
      if (e.status === 501) { unavailable(e.message); return; }
      throw e;
    }
    note.classList.add('hidden');
    const input = document.getElementById('throttle');
    if (document.activeElement !== input) input.value = m.throttleBytesPerSecond;
    const loggedIn = CR.session().loggedIn;
    const rows = m.migrations.map(x => {
      const pct = x.bytesTotal > 0 ? Math.min(100, 100 * x.bytesCopied / x.bytesTotal) : (x.step === 'done' ? 100 : 0);
      return h('tr', { 'data-migration': x.id },
        h('td', { class: 'mono' }, x.id), h('td', { class: 'num' }, x.partition),
        h('td', null, CR.chain([x.source, x.target].filter(Boolean))), h('td', null, x.step),
        h('td', null, h('div', { class: 'progress', title: pct.toFixed(1) + '%' }, h('div', { style: { width: pct + '%' } })),
          h('div', { class: 'muted small' }, CR.bytes(x.bytesCopied) + ' of ' + CR.bytes(x.bytesTotal))),
        h('td', { class: 'num' }, CR.bytes(x.bytesPerSecond) + '/s'),
        h('td', { class: 'num' }, x.etaSeconds >= 0 ? CR.duration(x.etaSeconds * 1000) : '—'),
        h('td', null, CR.ago(x.updatedMillis)),
        h('td', null, ['pause', 'resume', 'cancel'].map(v => h('button', { disabled: !loggedIn,
          title: loggedIn ? v : 'log in to ' + v, onclick: () => steer(x.id, v) }, v))));
    });
    if (!rows.length) rows.push(h('tr', null, h('td', { colspan: 9, class: 'muted' }, 'No migrations.')));
    document.querySelector('#migrations-table tbody').replaceChildren(...rows);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const result = document.getElementById('throttle-result');
    try {
      const r = await CR.post('/api/migrations/throttle', { bytesPerSecond: Number(document.getElementById('throttle').value) });
      result.textContent = r.result;
    } catch (err) {
      result.textContent = err.message;
    }
  });

  CR.poll(refresh, 2000);
});
