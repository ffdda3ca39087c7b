// Migrations: the plan (state, progress, pause/resume/cancel), running moves with live progress
// bars, rate and ETA, recent moves, and the stream throttle. Polls every second.
'use strict';

CR.start('migrations', async () => {
  const { h } = CR;
  const note = document.getElementById('migrations-unavailable');
  const form = document.getElementById('throttle-form');
  const input = document.getElementById('throttle');
  let plan = null;

  function unavailable(msg) {
    note.textContent = 'Migrations are not available: ' + msg;
    note.classList.remove('hidden');
    form.querySelectorAll('input, button').forEach(x => { x.disabled = true; x.title = msg; });
    document.getElementById('plan-info').classList.add('hidden');
    for (const id of ['running-table', 'recent-table']) {
      document.querySelector('#' + id + ' tbody').replaceChildren(
        h('tr', null, h('td', { colspan: 9, class: 'muted' }, 'No migrations.')));
    }
  }

  function rate(bps) {
    return bps > 0 ? CR.bytes(bps) + '/s' : '—';
  }

  function fromTo(x) {
    if (x.from && x.to) return CR.chain([x.from, x.to]);
    if (x.to) return h('span', null, '+ ', CR.chain([x.to]));
    return h('span', null, '− ', CR.chain([x.from]));
  }

  function bar(pct, id) {
    return h('div', { class: 'progress', id, title: pct.toFixed(1) + '%', 'data-percent': pct.toFixed(1) },
      h('div', { style: { width: pct + '%' } }));
  }

  function copied(x) {
    const bytes = x.bytesTotal > 0 ? CR.bytes(x.bytesCopied) + ' of ' + CR.bytes(x.bytesTotal) : CR.bytes(x.bytesCopied);
    const keys = x.keysTotal > 0 ? CR.num(x.keysCopied) + ' of ' + CR.num(x.keysTotal) + ' keys'
                                 : CR.num(x.keysCopied) + ' keys';
    return bytes + ' · ' + keys;
  }

  function showPlan(p) {
    plan = p;
    document.getElementById('plan-none').classList.toggle('hidden', !!p);
    document.getElementById('plan-info').classList.toggle('hidden', !p);
    if (!p) return;
    document.getElementById('plan-heading').textContent = p.finished ? 'Last plan' : 'Plan';
    document.getElementById('plan-id').textContent = p.id;
    document.getElementById('plan-what').textContent = p.action + ' ' + p.nodes.join(', ');
    document.getElementById('plan-state').replaceChildren(CR.pill(p.state, p.state === 'DONE' ? 'ok'
      : p.state === 'CANCELLED' ? 'removed' : 'degraded'));
    const pb = document.getElementById('plan-progress');
    pb.firstChild.style.width = p.percent + '%';
    pb.title = p.percent.toFixed(1) + '%';
    pb.dataset.percent = p.percent.toFixed(1);
    document.getElementById('plan-progress-text').textContent = p.movesDone + ' of ' + p.movesPlanned + ' moves done'
      + (p.movesRunning ? ', ' + p.movesRunning + ' running' : '') + ' · ' + CR.bytes(p.bytesCopied) + ' copied'
      + (p.estimatedBytes ? ' of ~' + CR.bytes(p.estimatedBytes) : '');
    document.getElementById('plan-started').textContent = CR.time(p.createdMillis) + ' (' + CR.ago(p.createdMillis)
      + '), from ring epoch ' + p.ringEpochAtStart
      + (p.finishedMillis ? '; ended ' + CR.time(p.finishedMillis) + ', took ' + CR.duration(p.finishedMillis - p.createdMillis) : '');
    document.getElementById('plan-note').textContent = p.note || '—';
    const loggedIn = CR.session().loggedIn;
    const allowed = { pause: p.state === 'RUNNING', resume: p.state === 'PAUSED',
      cancel: p.state === 'RUNNING' || p.state === 'PAUSED' };
    for (const b of document.querySelectorAll('#plan-buttons button')) {
      const verb = b.dataset.verb;
      b.disabled = !loggedIn || !allowed[verb];
      b.title = !loggedIn ? 'log in to ' + verb + ' the plan' : (allowed[verb] ? verb + ' plan ' + p.id : 'the plan is ' + p.state);
    }
  }

  async function steer(verb) {
    if (!plan) return;
    if (verb === 'cancel' && !window.confirm('Cancel plan ' + plan.id + '? Running moves are rolled back; every chain stays valid.')) return;
    const result = document.getElementById('plan-result');
    try {
      const r = await CR.post('/api/plan/' + verb);
      result.textContent = r.result;
    } catch (e) {
      result.textContent = e.message;
    }
    refresh();
  }
  document.querySelectorAll('#plan-buttons button').forEach(b => b.addEventListener('click', () => steer(b.dataset.verb)));

  async function refresh() {
    const nodes = await CR.api('/api/nodes');
    CR.showUpdated(nodes);
    CR.showRing(nodes.cluster, nodes.epoch);
    CR.setNodes(nodes.nodes.map(n => n.id));
    let m;
    try {
      m = await CR.api('/api/migrations');
    } catch (e) {
      if (e.status === 501) { unavailable(e.message); return; }
      throw e;
    }
    note.classList.add('hidden');
    showPlan(m.plan);

    const loggedIn = CR.session().loggedIn;
    if (document.activeElement !== input) input.value = m.throttleBytesPerSecond;
    input.disabled = !loggedIn;
    const button = document.getElementById('throttle-button');
    button.disabled = !loggedIn;
    button.title = loggedIn ? 'set the throttle' : 'log in to change the throttle';
    document.getElementById('throttle-current').textContent = 'now ' + (m.throttleBytesPerSecond > 0
      ? CR.bytes(m.throttleBytesPerSecond) + '/s' : 'unlimited');
    document.getElementById('max-moves').textContent = 'at most ' + m.maxMovesPerNode + ' moves per node at once';
    const r = m.repair;
    document.getElementById('repair-budget').textContent = !r || r.bytesPerSecond < 0 ? 'budget not reported'
      : 'budget ' + (r.bytesPerSecond > 0 ? CR.bytes(r.bytesPerSecond) + '/s' : 'unlimited') + ' per node';
    document.getElementById('repair-state').textContent = !r ? '' : r.chainsBelowR === 0
      ? 'every chain has R members' : r.chainsBelowR + ' chains below R, ' + r.copying + ' copying';

    const running = m.running.map(x => h('tr', { 'data-migration': x.id, 'data-step': x.step },
      h('td', { class: 'mono' }, x.id), h('td', { class: 'num' }, x.partition), h('td', null, fromTo(x)),
      h('td', null, CR.pill(x.step, 'kind')),
      h('td', null, bar(x.percent, 'progress-' + x.id), h('div', { class: 'muted small' }, copied(x))),
      h('td', { class: 'num' }, rate(x.bytesPerSecond)),
      h('td', { class: 'num' }, x.etaSeconds >= 0 ? CR.duration(x.etaSeconds * 1000) : '—'),
      h('td', null, CR.ago(x.startedMillis)), h('td', null, CR.ago(x.updatedMillis))));
    if (!running.length) running.push(h('tr', null, h('td', { colspan: 9, class: 'muted' }, 'No moves running.')));
    document.querySelector('#running-table tbody').replaceChildren(...running);

    const recent = m.recent.map(x => h('tr', { 'data-migration': x.id, 'data-step': x.step },
      h('td', { class: 'mono' }, x.id), h('td', { class: 'num' }, x.partition), h('td', null, fromTo(x)),
      h('td', null, CR.pill(x.step, x.step === 'done' ? 'ok' : 'removed')),
      h('td', { class: 'num' }, copied(x)),
      h('td', { class: 'num' }, x.finishedMillis ? CR.duration(x.finishedMillis - x.startedMillis) : '—'),
      h('td', null, x.finishedMillis ? CR.ago(x.finishedMillis) : '—'),
      h('td', { class: 'muted small' }, x.note || '')));
    if (!recent.length) recent.push(h('tr', null, h('td', { colspan: 8, class: 'muted' }, 'No recent moves.')));
    document.querySelector('#recent-table tbody').replaceChildren(...recent);
  }

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const result = document.getElementById('throttle-result');
    try {
      const r = await CR.post('/api/migrations/throttle', { bytesPerSecond: Number(input.value) });
      result.textContent = r.result;
      input.blur();
    } catch (err) {
      result.textContent = err.message;
    }
    refresh();
  });

  CR.poll(refresh, 1000);
});
