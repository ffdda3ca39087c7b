// Event log: ring changes and node/controller changes this UI observed, newest first.
'use strict';

CR.start('events', async () => {
  const { h } = CR;
  const open = new Set();

  // ring changes and plans go from one epoch to another; a plan still running has no "after" yet
  function epochs(e) {
    if (e.kind === 'RING_CHANGE') return e.epochBefore + ' → ' + e.epochAfter;
    if (e.epochBefore && e.epochAfter) return e.epochBefore + ' → ' + e.epochAfter;
    if (e.epochBefore) return e.kind === 'PLAN' ? e.epochBefore + ' → …' : 'from ' + e.epochBefore;
    return e.epochAfter ? String(e.epochAfter) : '';
  }

  async function refresh() {
    const [data, overview] = await Promise.all([CR.api('/api/events?limit=500'), CR.api('/api/overview')]);
    CR.showUpdated(overview);
    CR.showRing(overview.cluster, overview.epoch);
    const rows = [];
    for (const e of data.events) {
      const kind = e.kind.toLowerCase().replace('_', ' ');
      rows.push(h('tr', { class: 'clickable', 'data-event': e.seq, 'data-kind': e.kind,
        onclick: () => { open.has(e.seq) ? open.delete(e.seq) : open.add(e.seq); refresh(); } },
        h('td', { class: 'num' }, e.seq), h('td', null, CR.time(e.atMillis), h('div', { class: 'muted small' }, CR.ago(e.atMillis))),
        h('td', null, CR.pill(kind, 'kind')),
        h('td', { class: 'mono' }, epochs(e)),
        h('td', { class: 'summary' }, e.summary)));
      if (open.has(e.seq) && e.details.length) {
        rows.push(h('tr', { class: 'detail' }, h('td', { colspan: 5 }, h('ul', null, e.details.map(d => h('li', null, d))))));
      }
    }
    if (!rows.length) rows.push(h('tr', null, h('td', { colspan: 5, class: 'muted' }, 'No events yet.')));
    document.querySelector('#events-table tbody').replaceChildren(...rows);
  }

  CR.poll(refresh, 2000);
});
