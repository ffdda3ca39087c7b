// Key lookup: partition, chain, value (text and hex) and version of one key. Read-only (GET).
'use strict';

CR.start('lookup', async () => {
  const { h } = CR;
  const form = document.getElementById('lookup-form');
  const out = document.getElementById('lookup-result');
  let live = new Map();

  async function refreshLiveness() {
    const ring = await CR.api('/api/ring');
    CR.showUpdated(ring);
    CR.showRing(ring.cluster, ring.epoch);
    CR.setNodes(ring.nodes.map(n => n.id));
    live = new Map(ring.nodes.map(n => [n.id, n.live]));
  }

  async function lookup(key, hex) {
    out.replaceChildren(h('div', { class: 'muted' }, 'Looking up…'));
    let r;
    try {
      r = await CR.api('/api/lookup?key=' + encodeURIComponent(key) + (hex ? '&hex=true' : ''));
    } catch (e) {
      out.replaceChildren(h('div', { class: 'banner error', id: 'lookup-error' }, e.message));
      return;
    }
    const rows = [
      ['Key', h('span', { class: 'mono', id: 'result-key' }, r.key)],
      ['Key bytes (hex)', h('span', { class: 'mono' }, r.keyHex)],
      ['Partition', h('span', { id: 'result-partition' }, String(r.partition))],
      ['Chain', h('span', { id: 'result-chain' }, CR.chain(r.chain, id => live.get(id) === true))],
      ['Chain changed at', 'epoch ' + r.chainEpoch],
      ['Found', h('span', { id: 'result-found' }, r.found ? 'yes' : 'no — the key has no value')],
    ];
    if (r.found) {
      rows.push(['Version', h('span', { id: 'result-version' }, String(r.version))]);
      rows.push(['Size', CR.bytes(r.valueBytes) + (r.truncated ? ' (showing the first ' + CR.bytes(r.valueHex.length / 2) + ')' : '')]);
      rows.push(['Value (text)', r.valueText === null ? h('span', { class: 'muted' }, 'not text (binary)')
        : h('pre', { class: 'value', id: 'result-value' }, r.valueText)]);
      rows.push(['Value (hex)', h('pre', { class: 'value mono', id: 'result-hex' }, r.valueHex.replace(/(..)/g, '$1 ').trim())]);
    }
    out.replaceChildren(h('div', { class: 'panel' }, h('dl', { class: 'kv', id: 'lookup-kv' },
      rows.flatMap(([k, v]) => [h('dt', null, k), h('dd', null, v)]))));
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const key = document.getElementById('lookup-key').value;
    const hex = document.getElementById('lookup-hex').checked;
    history.replaceState(null, '', '?key=' + encodeURIComponent(key) + (hex ? '&hex=true' : ''));
    lookup(key, hex);
  });

  CR.poll(refreshLiveness, 5000);
  const params = new URLSearchParams(location.search);
  if (params.get('key')) {
    document.getElementById('lookup-key').value = params.get('key');
    document.getElementById('lookup-hex').checked = params.get('hex') === 'true';
    lookup(params.get('key'), params.get('hex') === 'true');
  }
});
