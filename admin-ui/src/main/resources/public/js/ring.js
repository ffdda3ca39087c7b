// Ring: Q partitions drawn as a circle of arcs, one band per chain position (outer band = head),
// coloured by node; hover shows a partition's chain, click pins it. A table of partitions below.
'use strict';

CR.start('ring', async () => {
  const { h, svg } = CR;
  const SIZE = 560, CX = SIZE / 2, CY = SIZE / 2, R_OUT = 262, R_IN = 150;
  let ring = null;
  let live = new Map();
  let selected = null;
  let drawnSignature = null;

  const tooltip = document.getElementById('tooltip');

  function point(r, a) { return [CX + r * Math.cos(a), CY + r * Math.sin(a)]; }

  // an annular sector from angle a0 to a1 between radii r0 < r1
  function sector(a0, a1, r0, r1) {
    if (a1 - a0 >= 2 * Math.PI - 1e-9) { // one partition: a full ring, drawn as two halves
      const m = a0 + Math.PI;
      return sector(a0, m, r0, r1) + ' ' + sector(m, a1, r0, r1);
    }
    const large = a1 - a0 > Math.PI ? 1 : 0;
    const [x0, y0] = point(r1, a0), [x1, y1] = point(r1, a1), [x2, y2] = point(r0, a1), [x3, y3] = point(r0, a0);
    return `M${x0.toFixed(2)},${y0.toFixed(2)} A${r1},${r1} 0 ${large} 1 ${x1.toFixed(2)},${y1.toFixed(2)} `
      + `L${x2.toFixed(2)},${y2.toFixed(2)} A${r0},${r0} 0 ${large} 0 ${x3.toFixed(2)},${y3.toFixed(2)} Z`;
  }

  function isLive(id) { return live.get(id) === true; }

  function bands() {
    return Math.max(1, ring.replication || 1, ...ring.partitions.map(p => p.chain.length));
  }

  function angles(i) {
    const q = ring.partitions.length;
    const a0 = -Math.PI / 2 + 2 * Math.PI * i / q, a1 = -Math.PI / 2 + 2 * Math.PI * (i + 1) / q;
    return [a0, a1];
  }

  function draw() {
    const el = document.getElementById('ring-svg');
    const nb = bands();
    const width = (R_OUT - R_IN) / nb;
    const groups = ring.partitions.map((p, i) => {
      const [a0, a1] = angles(i);
      const paths = [];
      for (let b = 0; b < nb; b++) {
        const node = p.chain[b];
        if (node === undefined && p.chain.length > 0) continue; // shorter chain: that band stays empty
        const r1 = R_OUT - b * width, r0 = r1 - width + 1;
        const cls = ['part', p.health === 'unavailable' ? 'unavailable' : null, node && !isLive(node) ? 'dead' : null]
          .filter(Boolean).join(' ');
        paths.push(svg('path', { d: sector(a0, a1, r0, r1), class: cls, fill: node ? CR.color(node) : '#d0d5dd',
          'data-node': node || '' }));
      }
      return svg('g', { class: 'part-group', 'data-partition': p.id, 'data-health': p.health,
        onmouseenter: (e) => showTip(p, e), onmousemove: moveTip, onmouseleave: hideTip,
        onclick: () => select(p.id) }, paths);
    });
    const centre = [
      svg('text', { x: CX, y: CY - 14, 'text-anchor': 'middle', 'font-size': 26, 'font-weight': 600, id: 'ring-centre-epoch' },
        'epoch ' + ring.epoch),
      svg('text', { x: CX, y: CY + 14, 'text-anchor': 'middle', 'font-size': 14, id: 'ring-centre-q' },
        ring.partitionCount + ' partitions'),
      svg('text', { x: CX, y: CY + 34, 'text-anchor': 'middle', 'font-size': 13, fill: '#667085' },
        'R = ' + ring.replication + (nb > 1 ? ' · outer band = head' : '')),
    ];
    el.replaceChildren(...groups, ...centre, svg('path', { class: 'sel', id: 'ring-selection', d: '' }));
    drawSelection();
  }

  function drawSelection() {
    const sel = document.getElementById('ring-selection');
    if (!sel) return;
    const i = ring.partitions.findIndex(p => p.id === selected);
    if (i < 0) { sel.setAttribute('d', ''); return; }
    const [a0, a1] = angles(i);
    sel.setAttribute('d', sector(a0, a1, R_IN - 2, R_OUT + 4));
  }

  function tipText(p) {
    return 'partition ' + p.id + ' · ' + p.health.replace('_', ' ') + '\n'
      + (p.chain.length ? p.chain.map((n, i) => n + (isLive(n) ? '' : ' (down)') + (i === 0 ? ' [head]' : '')
        + (i === p.chain.length - 1 && i > 0 ? ' [tail]' : '')).join(' → ') : 'empty chain')
      + ((p.learners || []).length ? '\nlearners: ' + p.learners.map(l => l.node).join(', ') : '')
      + '\nchanged at epoch ' + p.changedAt + (p.keys !== null ? ' · ' + CR.num(p.keys) + ' keys' : '');
  }

  function showTip(p, e) {
    tooltip.replaceChildren(...tipText(p).split('\n').map(l => h('div', null, l)));
    tooltip.classList.remove('hidden');
    moveTip(e);
    if (selected === null) detail(p);
  }
  function moveTip(e) { tooltip.style.left = (e.clientX + 14) + 'px'; tooltip.style.top = (e.clientY + 14) + 'px'; }
  function hideTip() {
    tooltip.classList.add('hidden');
    if (selected === null) detail(null);
  }

  function select(id) {
    selected = selected === id ? null : id;
    drawSelection();
    detail(ring.partitions.find(p => p.id === selected) || null);
    document.querySelectorAll('#partitions-table tr[data-partition]').forEach(tr =>
      tr.classList.toggle('selected', Number(tr.dataset.partition) === selected));
  }

  function detail(p) {
    const panel = document.getElementById('partition-detail');
    if (!p) {
      panel.replaceChildren(h('div', { class: 'muted' }, 'Hover over a partition to see its chain; click to pin it.'));
      return;
    }
    panel.replaceChildren(
      h('h2', { style: { marginTop: 0 }, id: 'detail-title' }, 'Partition ' + p.id + ' ', CR.pill(p.health.replace('_', ' '), p.health)),
      h('dl', { class: 'kv' },
        h('dt', null, 'Chain'), h('dd', { id: 'detail-chain' }, CR.chain(p.chain, isLive)),
        h('dt', null, 'Chain changed at'), h('dd', null, 'epoch ' + p.changedAt),
        h('dt', null, 'Keys'), h('dd', null, CR.num(p.keys)),
        h('dt', null, 'Last LSN (head)'), h('dd', null, CR.num(p.lastLsn)),
        h('dt', null, 'Oldest uncommitted write'), h('dd', null, p.oldestInFlightMillis ? CR.duration(p.oldestInFlightMillis) : 'none')),
      h('table', { class: 'grid', style: { marginTop: '10px' } },
        h('thead', null, h('tr', null, h('th', null, 'Replica'), h('th', null, 'Role'), h('th', null, 'Up'),
          h('th', { class: 'num' }, 'Last LSN'), h('th', { class: 'num' }, 'Lag (LSNs)'))),
        h('tbody', null, p.replicas.concat(p.learners || []).map(r => h('tr', null,
          h('td', null, h('span', { class: 'swatch', style: { background: CR.color(r.node) } }), r.node),
          h('td', null, r.role), h('td', null, r.live ? CR.pill('up') : CR.pill('down')),
          h('td', { class: 'num' }, CR.num(r.lastLsn)), h('td', { class: 'num' }, CR.num(r.lagLsns)))))));
  }

  function legend() {
    document.getElementById('legend').replaceChildren(...ring.nodes.map(n => h('div', { 'data-node-id': n.id },
      h('span', { class: 'swatch', style: { background: CR.color(n.id) } }), h('b', null, n.id), ' ',
      h('span', { class: 'muted' }, n.address + ' · '), CR.pill(n.state), ' ', n.live ? CR.pill('up') : CR.pill('down'),
      h('span', { class: 'muted' }, ' · heads ' + n.heads + ', replicas ' + n.replicas))));
  }

  function table() {
    document.querySelector('#partitions-table tbody').replaceChildren(...ring.partitions.map(p => {
      const lags = p.replicas.map(r => r.lagLsns).filter(x => x !== null);
      return h('tr', { class: 'clickable' + (p.id === selected ? ' selected' : ''), 'data-partition': p.id,
        onclick: () => select(p.id) },
        h('td', { class: 'num' }, p.id), h('td', null, CR.pill(p.health.replace('_', ' '), p.health)),
        h('td', null, CR.chain(p.chain, isLive)), h('td', { class: 'num' }, p.changedAt),
        h('td', { class: 'num' }, CR.num(p.keys)), h('td', { class: 'num' }, CR.num(p.lastLsn)),
        h('td', { class: 'num' }, lags.length ? Math.max(...lags) : '—'));
    }));
  }

  async function refresh() {
    const data = await CR.api('/api/ring');
    CR.showUpdated(data);
    if (data.epoch === null) return;
    ring = data;
    CR.showRing(ring.cluster, ring.epoch);
    CR.setNodes(ring.nodes.map(n => n.id));
    live = new Map(ring.nodes.map(n => [n.id, n.live]));
    const signature = JSON.stringify([ring.epoch, ring.nodes.map(n => [n.id, n.live]), ring.partitions.map(p => p.health)]);
    if (signature !== drawnSignature) {
      draw();
      drawnSignature = signature;
    }
    legend();
    table();
    if (selected !== null) detail(ring.partitions.find(p => p.id === selected) || null);
  }

  CR.poll(refresh, 2000);
});
