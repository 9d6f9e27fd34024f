/**
 * The ops dashboard: a static page (no data in it, so it is public) whose script reads
 * /v1/ops/summary with the operator's token and refreshes by itself (every `?every=` seconds,
 * 10 by default). The token stays in the tab's sessionStorage; text is set with textContent.
 */
export const OPS_DASHBOARD_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Recert — operations</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
  [hidden] { display: none !important; }
  body { font: 14px/1.4 system-ui, sans-serif; margin: 0; background: #f4f5f7; color: #1d2330; }
  header { background: #1d2330; color: #fff; padding: 12px 20px; display: flex; justify-content: space-between; }
  main { display: grid; grid-template-columns: repeat(auto-fill, minmax(340px, 1fr)); gap: 16px; padding: 16px 20px; }
  section { background: #fff; border-radius: 6px; padding: 12px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.1); overflow-x: auto; }
  h2 { font-size: 15px; margin: 0 0 8px; }
  table { width: 100%; border-collapse: collapse; }
  /* Ids are shown whole, never wrapped mid-id: a wide table scrolls in its section instead. */
  td, th { text-align: left; padding: 3px 4px; border-bottom: 1px solid #eee; white-space: nowrap; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .big { font-size: 26px; font-weight: 600; }
  .warn { color: #b3261e; }
  .muted { color: #6b7280; }
  form { padding: 40px; }
</style>
</head>
<body>
<header><strong>Recert — operations</strong><span id="status" class="muted">loading…</span></header>
<form id="login" hidden>
  <p>Paste an ops token (it stays in this tab only).</p>
  <input id="token" type="password" size="60" autocomplete="off"> <button>Show</button>
</form>
<main id="board" hidden>
  <section id="applications"><h2>Applications by state</h2><table></table></section>
  <section id="payments"><h2>Payments</h2><div class="big"></div><table></table></section>
  <section id="audits"><h2>Audit queue (awaiting documents)</h2><table></table></section>
  <section id="petitions"><h2>Petitions awaiting review</h2><table></table></section>
  <section id="deadlines"><h2>Deadlines due</h2><table></table></section>
  <section id="dead-letters"><h2>Dead-lettered events</h2><div class="big"></div><table></table></section>
</main>
<script>
(() => {
  const every = Math.max(1, Number(new URLSearchParams(location.search).get('every')) || 10) * 1000;
  const $ = (sel, root = document) => root.querySelector(sel);
  let refreshes = 0;

  function rows(table, header, data) {
    table.replaceChildren();
    const head = table.insertRow();
    for (const h of header) { const th = document.createElement('th'); th.textContent = h; head.appendChild(th); }
    for (const cells of data) {
      const tr = table.insertRow();
      for (const c of cells) { const td = tr.insertCell(); td.textContent = String(c); if (typeof c === 'number') td.className = 'n'; }
    }
    if (data.length === 0) { const td = table.insertRow().insertCell(); td.colSpan = header.length; td.textContent = 'none'; td.className = 'muted'; }
  }
  function unavailable(id, section) {
    const el = $('#' + id + ' table');
    if (section && section.ok) return false;
    el.replaceChildren();
    const td = el.insertRow().insertCell(); td.className = 'warn';
    td.textContent = 'unavailable: ' + (section ? section.error : 'no answer');
    return true;
  }
  const dollars = (cents) => '$' + (cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2 });

  function render(s) {
    if (!unavailable('applications', s.applications))
      rows($('#applications table'), ['state', 'applications'], Object.entries(s.applications.data));
    if (!unavailable('payments', s.payments)) {
      const p = s.payments.data;
      // Charges to give back and petition fee refunds (R6: policy says none) are for ops to follow up.
      $('#payments .big').textContent = dollars(p.collectedCents) + ' collected' +
        (p.awaitingRefund ? ', ' + p.awaitingRefund.items + ' to refund' : '') +
        (p.petitionFeeRefundsFlagged ? ', ' + p.petitionFeeRefundsFlagged.items + ' petition refunds flagged' : '');
      rows($('#payments table'), ['purpose', 'open', 'paid', 'refunded', 'closed'], Object.entries(p.byPurpose).map(([purpose, b]) =>
        [purpose, b.open.items, b.paid.items, b.refunded.items, b.closed ? b.closed.items : 0]));
    }
    if (!unavailable('audits', s.audits))
      rows($('#audits table'), ['application', 'trainer', 'due', 'days left'], s.audits.data.map((a) =>
        [a.applicationId.slice(0, 8), a.trainerId, a.documentationDueOn, a.daysLeft]));
    if (!unavailable('petitions', s.petitionsAwaitingReview))
      rows($('#petitions table'), ['petition', 'trainer', 'course', 'state'], s.petitionsAwaitingReview.data.map((p) =>
        [String(p.petitionId).slice(0, 8), p.trainerId, p.courseTitle, p.state]));
    const deadlineRows = [];
    for (const [service, section] of Object.entries(s.deadlines)) {
      if (!section.ok) { deadlineRows.push([service, 'unavailable', '', '']); continue; }
      for (const d of section.data) deadlineRows.push([d.kind, d.overdue, d.within7Days, d.within30Days]);
    }
    rows($('#deadlines table'), ['kind', 'overdue', '7 days', '30 days'], deadlineRows);
    let total = 0; const latest = [];
    for (const [service, section] of Object.entries(s.deadLetters)) {
      if (!section.ok) { latest.push([service, 'unavailable', '']); continue; }
      total += section.data.total;
      for (const d of section.data.latest.slice(0, 5)) latest.push([service, d.topic, d.eventType || 'unreadable']);
    }
    $('#dead-letters .big').textContent = String(total);
    $('#dead-letters .big').className = 'big' + (total > 0 ? ' warn' : '');
    rows($('#dead-letters table'), ['consumer', 'topic', 'type'], latest);
  }

  async function refresh() {
    const token = sessionStorage.getItem('recert-token');
    if (!token) { $('#login').hidden = false; $('#status').textContent = 'signed out'; return; }
    try {
      const response = await fetch('/v1/ops/summary', { headers: { authorization: 'Bearer ' + token } });
      if (response.status === 401 || response.status === 403) {
        sessionStorage.removeItem('recert-token'); $('#board').hidden = true; $('#login').hidden = false;
        $('#status').textContent = 'the token was refused (' + response.status + ')'; return;
      }
      const summary = await response.json();
      render(summary);
      $('#board').hidden = false; $('#login').hidden = true;
      refreshes += 1;
      document.body.dataset.loaded = 'true';
      document.body.dataset.refreshes = String(refreshes);
      $('#status').textContent = 'as of ' + new Date(summary.at).toISOString().replace('T', ' ').slice(0, 19) + ' UTC, refreshing every ' + every / 1000 + ' s';
    } catch (error) {
      $('#status').textContent = 'no answer: ' + error.message;
    }
  }

  $('#login').addEventListener('submit', (e) => {
    e.preventDefault(); sessionStorage.setItem('recert-token', $('#token').value.trim()); refresh();
  });
  refresh();
  setInterval(refresh, every);
})();
</script>
</body>
</html>
`;
