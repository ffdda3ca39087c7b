// Overview: health at a glance, key numbers, writes/s, the node list.
'use strict';

CR.start('overview', async () => {
  const { h } = CR;
  let chart = null;

  function card(id, label, value, sub, cls) {
    return h('div', { class: 'card ' + (cls || ''), id: 'card-' + id },
      h('div', { class: 'label' }, label), h('div', { class: 'value' }, value), sub ? h('div', { class: 'sub' }, sub) : null);
  }

  async function refresh() {
    const [o, nodes] = await Promise.all([CR.api('/api/overview'), CR.api('/api/nodes')]);
    CR.showUpdated(o);
    CR.showRing(o.cluster, o.epoch);
    CR.setNodes(nodes.nodes.map(n => n.id));

    const health = document.getElementById('health');
    health.className = 'health ' + o.health;
    document.getElementById('health-badge').textContent = o.health.toUpperCase();
    document.getElementById('health-text').textContent = o.health === 'ok'
      ? 'Every partition has a live chain of ' + o.replication + ' and every node is up.'
      : (o.health === 'unknown' ? 'The cluster could not be read.' : 'Needs attention:');
    document.getElementById('problems').replaceChildren(...o.problems.map(p => h('li', null, p)));

    const cards = [
      card('nodes', 'Nodes up', o.nodesUp + ' / ' + o.nodesTotal, o.nodesDown ? 'down: ' + o.downNodes.join(', ') : 'all up',
        o.nodesDown ? 'bad' : ''),
      card('epoch', 'Ring epoch', CR.num(o.epoch), o.partitionCount !== null ? o.partitionCount + ' partitions, R=' + o.replication : ''),
      card('unavailable', 'Unavailable partitions', CR.num(o.partitionsUnavailable),
        o.partitionsUnavailable ? 'refusing reads and writes: ' + o.unavailablePartitions.slice(0, 12).join(', ')
          + (o.unavailablePartitions.length > 12 ? '…' : '') : 'none', o.partitionsUnavailable ? 'bad' : ''),
      card('under', 'Under-replicated', CR.num(o.partitionsUnderReplicated), 'chain shorter than R',
        o.partitionsUnderReplicated ? 'warn' : ''),
      card('degraded', 'Degraded', CR.num(o.partitionsDegraded), 'some chain members down', o.partitionsDegraded ? 'warn' : ''),
      card('writes', 'Writes/s', CR.num(o.writesPerSecond, 1), 'puts, deletes and CAS'),
      card('ops', 'Ops/s', CR.num(o.opsPerSecond, 1), 'client requests, reads included'),
      card('controller', 'Controller leader', o.controller || '—', 'writes the ring; answers admin calls', 'text'),
    ];
    document.getElementById('cards').replaceChildren(...cards);

    const tbody = document.querySelector('#overview-nodes tbody');
    tbody.replaceChildren(...nodes.nodes.map(n => h('tr', { 'data-node-id': n.id },
      h('td', null, h('span', { class: 'swatch', style: { background: CR.color(n.id) } }), n.id),
      h('td', { class: 'mono' }, n.address), h('td', null, CR.pill(n.state)),
      h('td', null, n.live ? CR.pill('up') : CR.pill('down')),
      h('td', { class: 'num' }, n.partitions), h('td', { class: 'num' }, n.heads), h('td', { class: 'num' }, n.tails))));

    const s = await CR.api('/api/series');
    const data = [s.t.map(t => t / 1000), s.writesPerSecond];
    const el = document.getElementById('overview-chart');
    if (!chart) {
      chart = new uPlot({
        width: Math.max(300, el.clientWidth - 20), height: 160,
        series: [{}, { label: 'writes/s', stroke: '#2f6fb0', fill: 'rgba(47,111,176,.12)', width: 2 }],
        axes: [{ space: 90, values: (u, vals) => vals.map(v => CR.time(v * 1000)) }, { size: 50 }], legend: { show: false },
      }, data, el);
    } else {
      chart.setData(data);
    }
  }

  CR.poll(refresh, 2000);
});
