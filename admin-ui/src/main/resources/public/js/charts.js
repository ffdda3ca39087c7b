// Charts: writes/s (total and by head node), requests/s and p99 latency by node, replication lag of the partitions
// each node heads (LSNs and ms), and stats round trips, live, with uPlot.
'use strict';

CR.start('charts', async () => {
  let writes = null, ops = null, p99 = null, lagL = null, lagM = null, rtt = null, shape = null;

  function make(el, title, names, data, unit, withTotal) {
    const series = [{}];
    if (withTotal) series.push({ label: 'total', stroke: '#1d2430', width: 2 });
    for (const n of names) series.push({ label: n, stroke: CR.color(n), width: 1.5 });
    el.replaceChildren();
    return new uPlot({
      width: Math.max(320, el.clientWidth - 20), height: 260, title,
      series, axes: [{ space: 90, values: (u, vals) => vals.map(v => CR.time(v * 1000)) },
        { size: 60, values: (u, vals) => vals.map(v => v + unit) }],
      scales: { x: { time: true } },
    }, data, el);
  }

  async function refresh() {
    const [s, ring] = await Promise.all([CR.api('/api/series'), CR.api('/api/ring')]);
    CR.showUpdated(ring);
    CR.showRing(ring.cluster, ring.epoch);
    CR.setNodes(ring.nodes.map(n => n.id));
    const t = s.t.map(x => x / 1000);
    const nodes = Object.keys(s.writesByHead);
    const w = [t, s.writesPerSecond, ...nodes.map(n => s.writesByHead[n])];
    const rnodes = Object.keys(s.statsRttMillis);
    const r = [t, ...rnodes.map(n => s.statsRttMillis[n])];
    const onodes = Object.keys(s.opsByNode);
    const o = [t, s.opsPerSecond, ...onodes.map(n => s.opsByNode[n])];
    const pnodes = Object.keys(s.p99MillisByNode);
    const p = [t, ...pnodes.map(n => s.p99MillisByNode[n])];
    const lnodes = Object.keys(s.lagLsnsByHead);
    const ll = [t, ...lnodes.map(n => s.lagLsnsByHead[n])];
    const lm = [t, ...lnodes.map(n => s.lagMillisByHead[n])];
    const sig = JSON.stringify([nodes, rnodes, onodes, pnodes, lnodes]);
    if (sig !== shape) { // the set of nodes changed: rebuild the charts
      writes = make(document.getElementById('chart-writes'), 'writes/s', nodes, w, '', true);
      ops = make(document.getElementById('chart-ops'), 'requests/s', onodes, o, '', true);
      p99 = make(document.getElementById('chart-p99'), 'p99 latency', pnodes, p, ' ms', false);
      lagL = make(document.getElementById('chart-lag-lsns'), 'replication lag: LSNs not yet at the tail (worst partition each node heads)', lnodes, ll, '', false);
      lagM = make(document.getElementById('chart-lag-ms'), 'replication lag: age of the oldest uncommitted write', lnodes, lm, ' ms', false);
      rtt = make(document.getElementById('chart-rtt'), 'stats round trip', rnodes, r, ' ms', false);
      shape = sig;
    } else {
      writes.setData(w);
      ops.setData(o);
      p99.setData(p);
      lagL.setData(ll);
      lagM.setData(lm);
      rtt.setData(r);
    }
  }

  CR.poll(refresh, 2000);
});
