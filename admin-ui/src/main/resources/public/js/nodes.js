// Nodes: the table, per-node partition replicas, and the node actions (preview a plan, then confirm).
'use strict';

CR.start('nodes', async () => {
  const { h } = CR;
  const expanded = new Set();
  let actions = {};

  async function loadActions() {
    const a = await CR.api('/api/actions');
    actions = Object.fromEntries(a.actions.map(x => [x.action, x]));
    const node = ['add', 'decommission', 'remove'].map(k => actions[k]).filter(x => x && !x.available);
    const note = document.getElementById('actions-note');
    note.textContent = node.length ? node.map(x => x.action).join(' / ') + ' node: unavailable — ' + node[0].reason + '.' : '';
    note.classList.toggle('hidden', node.length === 0);
  }

  function actionButton(n, name, label, cls) {
    const a = actions[name];
    const available = a && a.available;
    return h('button', {
      class: cls || '', 'data-action': name, 'data-node': n.id, disabled: !available,
      title: available ? label + ' ' + n.id + ' (shows the plan first)' : (a ? a.reason : 'unknown action'),
      onclick: (e) => { e.stopPropagation(); preview(name, n.id); },
    }, label);
  }

  function actionsFor(n) {
    const out = [];
    if (n.state === 'NEW') out.push(actionButton(n, 'add', 'Add', 'primary'));
    if (n.state === 'ACTIVE' || n.state === 'JOINING') out.push(actionButton(n, 'decommission', 'Decommission'));
    if (!n.live && n.state !== 'REMOVED') out.push(actionButton(n, 'remove', 'Remove', 'danger'));
    return h('span', { class: 'chain' }, out);
  }

  async function preview(action, node) {
    if (!CR.session().loggedIn) {
      location.href = '/login.html?next=' + encodeURIComponent('/nodes.html');
      return;
    }
    const dialog = document.getElementById('plan-dialog');
    const body = document.getElementById('plan-body');
    document.getElementById('plan-title').textContent = action + ' ' + node + ': plan';
    body.replaceChildren(h('div', { class: 'muted' }, 'Computing the plan…'));
    const confirm = document.getElementById('plan-confirm');
    confirm.disabled = true;
    dialog.showModal();
    let plan;
    try {
      plan = await CR.api('/api/plan?action=' + encodeURIComponent(action) + '&node=' + encodeURIComponent(node));
    } catch (e) {
      body.replaceChildren(h('div', { class: 'banner error' }, e.message));
      return;
    }
    const moveRows = plan.moves.map(m => h('tr', { 'data-move-partition': m.partition },
      h('td', { class: 'num' }, m.partition),
      h('td', null, m.from ? CR.chain([m.from]) : '—'), h('td', null, m.to ? CR.chain([m.to]) : '—'),
      h('td', { class: 'num' }, CR.num(m.keys)), h('td', { class: 'num' }, CR.bytes(m.bytes))));
    body.replaceChildren(
      h('dl', { class: 'kv' }, h('dt', null, 'Moves'), h('dd', { id: 'plan-moves' }, plan.moves.length),
        h('dt', null, 'Fewest possible'), h('dd', { id: 'plan-lower-bound' }, plan.lowerBound),
        h('dt', null, 'Keys to copy'), h('dd', null, '~' + CR.num(plan.totalKeys)),
        h('dt', null, 'Bytes to copy'), h('dd', null, '~' + CR.bytes(plan.totalBytes)),
        h('dt', null, 'Made from ring epoch'), h('dd', null, plan.ringEpoch),
        h('dt', null, 'Plan id'), h('dd', { class: 'mono', id: 'plan-id' }, plan.planId)),
      h('h2', null, 'Moves'),
      h('div', { class: 'plan-moves' }, h('table', { class: 'grid', id: 'plan-moves-table' },
        h('thead', null, h('tr', null, h('th', { class: 'num' }, 'Partition'), h('th', null, 'From'), h('th', null, 'To'),
          h('th', { class: 'num' }, 'Keys'), h('th', { class: 'num' }, 'Bytes'))),
        h('tbody', null, moveRows.length ? moveRows : h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'Nothing to move.'))))),
      h('h2', null, 'Balance: replicas (heads) per node, before → after'),
      h('table', { class: 'grid', id: 'plan-balance' }, h('tbody', null, plan.balance.map(b =>
        h('tr', null, h('td', null, h('span', { class: 'swatch', style: { background: CR.color(b.node) } }), b.node),
          h('td', { class: 'num' }, b.replicasBefore + ' (' + b.headsBefore + ')'), h('td', null, '→'),
          h('td', { class: 'num' }, b.replicasAfter + ' (' + b.headsAfter + ')'))))));
    confirm.disabled = false;
    confirm.onclick = async () => {
      confirm.disabled = true;
      try {
        const r = await CR.post('/api/nodes/' + encodeURIComponent(node) + '/' + action, { planId: plan.planId });
        body.replaceChildren(h('div', { class: 'banner info', id: 'plan-started' }, r.result + ' — follow it on ',
          h('a', { href: '/migrations.html', id: 'to-migrations' }, 'Migrations'), '; it is in the ',
          h('a', { href: '/events.html' }, 'event log'), '.'));
      } catch (e) {
        body.append(h('div', { class: 'banner error' }, e.message));
      }
    };
  }
  document.getElementById('plan-cancel').onclick = () => document.getElementById('plan-dialog').close();

  function detail(n) {
    if (n.statsError) return h('div', { class: 'muted' }, n.statsError);
    if (!n.partitionStats.length) return h('div', { class: 'muted' }, 'holds no partitions');
    return h('table', { class: 'grid', id: 'partitions-of-' + n.id },
      h('thead', null, h('tr', null, ['Partition', 'Role', 'Keys', 'Last LSN', 'Committed LSN', 'In flight', 'Oldest in flight']
        .map((t, i) => h('th', { class: i === 1 ? null : 'num' }, t)))),
      h('tbody', null, n.partitionStats.map(p => h('tr', null,
        h('td', { class: 'num' }, p.partition), h('td', null, p.role), h('td', { class: 'num' }, CR.num(p.keys)),
        h('td', { class: 'num' }, CR.num(p.lastLsn)), h('td', { class: 'num' }, CR.num(p.committedLsn)),
        h('td', { class: 'num' }, p.inFlight), h('td', { class: 'num' }, p.inFlight ? CR.duration(p.oldestInFlightMillis) : '—')))));
  }

  async function refresh() {
    const data = await CR.api('/api/nodes');
    CR.showUpdated(data);
    CR.showRing(data.cluster, data.epoch);
    CR.setNodes(data.nodes.map(n => n.id));
    const rows = [];
    for (const n of data.nodes) {
      rows.push(h('tr', { class: 'clickable' + (expanded.has(n.id) ? ' selected' : ''), 'data-node-id': n.id,
        onclick: () => { expanded.has(n.id) ? expanded.delete(n.id) : expanded.add(n.id); refresh(); } },
        h('td', null, h('span', { class: 'swatch', style: { background: CR.color(n.id) } }), h('b', null, n.id)),
        h('td', { class: 'mono' }, n.address), h('td', null, n.zone), h('td', null, CR.pill(n.state)),
        h('td', null, n.live ? CR.pill('up') : CR.pill('down')),
        h('td', null, n.serving === null ? '—' : (n.serving ? CR.pill('yes', 'ok') : CR.pill('no', 'down'))),
        h('td', { class: 'num' }, n.partitions), h('td', { class: 'num' }, n.heads), h('td', { class: 'num' }, n.tails),
        h('td', { class: 'num' }, CR.num(n.keys)), h('td', { class: 'num' }, CR.bytes(n.diskBytes)),
        h('td', { class: 'num' }, CR.num(n.writesPerSecond, 1)),
        h('td', { class: 'num', 'data-col': 'ops' }, CR.num(n.opsPerSecond, 1)),
        h('td', { class: 'num', 'data-col': 'p99' }, n.p99Millis === null ? '—' : CR.num(n.p99Millis, 2) + ' ms'),
        h('td', { class: 'num' }, n.statsRttMillis === null ? '—' : CR.num(n.statsRttMillis, 1) + ' ms'),
        h('td', { title: n.statsError || '' }, n.lastHeardMillis ? CR.ago(n.lastHeardMillis) : (n.statsError ? 'no answer' : '—')),
        h('td', null, actionsFor(n))));
      if (expanded.has(n.id)) {
        rows.push(h('tr', { class: 'detail' }, h('td', { colspan: 17 }, detail(n))));
      }
    }
    document.querySelector('#nodes-table tbody').replaceChildren(...rows);
  }

  try { await loadActions(); } catch (e) { CR.showError(e.message); }
  CR.poll(refresh, 2000);
  setInterval(() => loadActions().catch(e => CR.showError(e.message)), 15000);
});
