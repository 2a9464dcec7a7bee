// Results panel script (runs in the webview under a strict CSP: this file is
// loaded with the page's nonce; no inline script, no inline style, no eval).
// It renders the payload posted by src/extension/panels/resultsPanel.ts with
// DOM APIs and textContent only (no innerHTML of result data).
//
// Protocol, webview -> extension:
//   {type:'ready'}                       on load; the extension answers with 'show'
//   {type:'rendered', seq, text, csp, highlighted, deciding}   after each render / selection
//   {type:'copy', what}                  what: event|response|policies|log|token|signature|correctedSignature
//   {type:'openAsTestCase'}
//   {type:'error', message}
// extension -> webview:
//   {type:'show', seq, payload}          render this payload
//   {type:'click', id}                   test hook: click the element with this id
(function () {
  'use strict';
  const vscode = acquireVsCodeApi();
  const root = document.getElementById('root');
  /** UI state kept across hide/show: selected decision key per seq. */
  let state = vscode.getState() || {};
  let current; // { seq, payload }

  const STEP_TITLES = {
    signature: 'Signature',
    event: 'Event',
    handler: 'Handler',
    response: 'Response validation',
    connect: 'Connect',
    decisions: 'Operations',
  };
  const STEP_ORDER = ['signature', 'event', 'handler', 'response', 'connect', 'decisions'];
  const STATUS_ICON = { passed: '✓', failed: '✗', skipped: '–' };
  const COPY_LABELS = {
    event: 'Copy event',
    response: 'Copy response',
    policies: 'Copy policies',
    log: 'Copy log',
    token: 'Copy token',
    signature: 'Copy signature',
    correctedSignature: 'Copy corrected signature',
  };
  const MAX_LOG_LINES = 2000;

  // ---------- DOM helpers ----------
  /** h('p', {class: 'x'}, 'text', node, [more]) ; never sets style or on* attributes. */
  function h(tag, attrs) {
    const el = document.createElement(tag);
    if (attrs) {
      for (const k of Object.keys(attrs)) {
        const v = attrs[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'style' || k.startsWith('on')) continue;
        if (k === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    }
    for (let i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, c) {
    if (c === undefined || c === null || c === false) return;
    if (Array.isArray(c)) c.forEach((x) => append(el, x));
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
  function fmtMs(ms) {
    if (typeof ms !== 'number' || !isFinite(ms)) return undefined;
    if (ms < 1) return `${ms.toFixed(2)} ms`;
    if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;
    return `${(ms / 1000).toFixed(2)} s`;
  }
  function json(v) {
    try {
      return JSON.stringify(v, null, 2);
    } catch (e) {
      return String(v);
    }
  }
  function indent(text, n) {
    const pad = ' '.repeat(n);
    return text
      .split('\n')
      .map((l) => pad + l)
      .join('\n');
  }
  function section(id, title, ...children) {
    return h('section', { id, 'aria-labelledby': `${id}-h` }, h('h2', { id: `${id}-h` }, title), ...children);
  }
  function copyButton(what, id) {
    return h('button', { type: 'button', class: 'secondary copy', 'data-copy': what, id }, COPY_LABELS[what] || `Copy ${what}`);
  }
  function fact(dl, term, value) {
    if (value === undefined || value === null || value === '') return;
    dl.appendChild(h('div', { class: 'fact' }, h('dt', null, term), h('dd', null, value)));
  }
  function statusBadge(status) {
    return h('span', { class: ['badge', `status-${status}`] }, h('span', { class: 'icon', 'aria-hidden': 'true' }, STATUS_ICON[status] || '•'), ` ${status}`);
  }
  function decisionBadge(decision) {
    return h('span', { class: ['badge', `decision-${decision}`] }, h('span', { class: 'icon', 'aria-hidden': 'true' }, decision === 'allow' ? '✓' : '✗'), ` ${decision === 'allow' ? 'Allow' : 'Deny'}`);
  }
  function stmtId(ref) {
    return `stmt-${ref.document}-${ref.statement}`;
  }
  function whereText(ref) {
    return `policy document #${ref.document + 1}, statement #${ref.statement + 1}${ref.sid ? ` (Sid ${ref.sid})` : ''}${ref.effect ? `, ${ref.effect}` : ''}`;
  }

  // ---------- the model ----------
  /** Every decision that can be selected: connect first, then the operations. */
  function allDecisions(r) {
    const out = [];
    if (r.connect) out.push({ key: 'connect', d: r.connect, label: 'Connect' });
    (r.decisions || []).forEach((d, i) => out.push({ key: `op-${i}`, d, label: `Operation ${i + 1}` }));
    return out;
  }
  function defaultSelection(r) {
    const all = allDecisions(r);
    const ops = all.filter((x) => x.key !== 'connect' && x.d.decidedBy);
    const pick = ops[0] || all.find((x) => x.d.decidedBy) || all[0];
    return pick ? pick.key : undefined;
  }
  function stepsOf(r) {
    const given = Array.isArray(r.steps) ? r.steps : [];
    const byName = {};
    given.forEach((s) => (byName[s.name] = s));
    const has = {
      signature: !!r.signature && (r.signature.checked !== undefined || !!r.signature.message),
      event: r.event !== undefined,
      handler: !!r.handler || (r.log && r.log.length > 0),
      response: r.response !== undefined || (r.responseFindings && r.responseFindings.length > 0),
      connect: !!r.connect,
      decisions: (r.decisions || []).length > 0,
    };
    const out = [];
    for (const name of STEP_ORDER) {
      if (byName[name]) out.push(byName[name]);
      else if (has[name]) out.push({ name, status: syntheticStatus(name, r), message: '' });
    }
    // Steps with names this script does not know, at the end.
    given.forEach((s) => {
      if (!STEP_ORDER.includes(s.name)) out.push(s);
    });
    return out;
  }
  function syntheticStatus(name, r) {
    if (r.failure && r.failure.step === name) return 'failed';
    if (name === 'response') return r.authenticated === false ? 'failed' : 'passed';
    if (name === 'connect') return r.connect && r.connect.decision === 'deny' ? 'failed' : 'passed';
    if (name === 'signature') return r.signature && r.signature.valid === false ? 'failed' : r.signature && r.signature.checked === false ? 'skipped' : 'passed';
    return 'passed';
  }

  // ---------- rendering ----------
  function render(seq, payload) {
    current = { seq, payload };
    if (state.seq !== seq) state = { seq, selected: defaultSelection(payload.result || {}) };
    vscode.setState(state);
    const r = payload.result || {};
    document.title = payload.title;
    const frag = document.createDocumentFragment();
    frag.appendChild(renderHeader(payload, r));
    if (r.failure) frag.appendChild(renderFailure(r.failure));
    if (payload.jwt) frag.appendChild(renderJwt(payload.jwt));
    frag.appendChild(renderChain(payload, r));
    if (payload.compare) frag.appendChild(renderCompare(payload));
    frag.appendChild(renderPolicies(payload, r));
    frag.appendChild(renderRaw(payload, r));
    root.replaceChildren(frag);
    applySelection(false);
    report();
  }

  function renderHeader(p, r) {
    const accepted = r.outcome === 'accepted';
    const header = h(
      'header',
      { class: 'result-header' },
      h('p', { class: ['source', `source-${p.source}`] }, p.sourceLabel),
      h('h1', null, p.title),
      h(
        'p',
        { class: ['outcome', accepted ? 'outcome-accepted' : 'outcome-rejected'] },
        h('span', { class: 'icon', 'aria-hidden': 'true' }, accepted ? '✓' : '✗'),
        ` ${accepted ? 'Accepted' : 'Rejected'}`,
      ),
      r.summary ? h('p', { class: 'summary' }, r.summary) : null,
    );
    const dl = h('dl', { class: 'facts' });
    fact(dl, 'Protocol', r.protocol);
    fact(dl, 'Authorizer', r.authorizerName);
    fact(dl, 'Principal', r.principalId);
    if (r.authenticated !== undefined) fact(dl, 'Authenticated', r.authenticated ? 'yes' : 'no');
    if (r.connected !== undefined) fact(dl, 'Connected', r.connected ? 'yes' : 'no');
    fact(dl, 'Total duration', fmtMs(r.totalMs));
    if (r.refreshAfterInSeconds !== undefined) fact(dl, 'Refresh after', `${r.refreshAfterInSeconds} s`);
    if (r.disconnectAfterInSeconds !== undefined) fact(dl, 'Disconnect after', `${r.disconnectAfterInSeconds} s`);
    if (dl.childNodes.length) header.appendChild(dl);
    const actions = h('div', { class: 'actions', role: 'toolbar', 'aria-label': 'Result actions' });
    if (p.canOpenAsTestCase) actions.appendChild(h('button', { type: 'button', id: 'open-test-case', class: 'primary' }, 'Open as test case'));
    (p.copyable || []).forEach((w) => actions.appendChild(copyButton(w, `copy-${w}`)));
    header.appendChild(actions);
    return header;
  }

  function renderFailure(f) {
    return section(
      'failure',
      'Why it was rejected',
      h('p', { class: 'failure' }, h('span', { class: 'code' }, f.code), ` at ${STEP_TITLES[f.step] || f.step}: `, f.message),
    );
  }

  // The token decoded when it is a JWT (or the signed-JWT token header.payload): what it claims and when it expires.
  function renderJwt(j) {
    if (j.error) return section('jwt', 'JWT token', h('p', { class: 'failure' }, j.error));
    const c = j.claims || {};
    const dl = h('dl', { class: 'facts' });
    fact(dl, 'Form', j.form === 'signing-input' ? 'signed-JWT token (header.payload; the signature travels separately)' : 'JWT (header.payload.signature)');
    fact(dl, 'Algorithm', (j.header || {}).alg);
    fact(dl, 'Key id (kid)', (j.header || {}).kid);
    for (const k of ['sub', 'iss', 'aud']) if (c[k] !== undefined) fact(dl, k, typeof c[k] === 'string' ? c[k] : json(c[k]));
    fact(dl, 'Expiry', j.expiry);
    return section(
      'jwt',
      'JWT token',
      h('p', { class: j.expired ? 'failure' : 'muted' }, j.expired ? 'This token has expired.' : 'Decoded from the token; the signature step above says whether it verifies.'),
      dl,
      h('pre', { class: 'json', id: 'jwt-claims' }, json({ header: j.header, claims: c })),
    );
  }

  function renderChain(p, r) {
    const list = h('ol', { class: 'steps' });
    for (const s of stepsOf(r)) {
      const details = h('details', { class: ['step', `step-${s.status}`], open: s.status !== 'skipped' && s.name !== 'event' });
      details.appendChild(
        h(
          'summary',
          null,
          statusBadge(s.status),
          ' ',
          h('span', { class: 'step-name' }, s.name === 'response' && !Array.isArray(r.responseFindings) ? 'Response' : STEP_TITLES[s.name] || s.name),
          s.durationMs !== undefined && s.status !== 'skipped' ? h('span', { class: 'duration' }, ` ${fmtMs(s.durationMs)}`) : null,
        ),
      );
      const body = h('div', { class: 'step-body' });
      if (s.message) body.appendChild(h('p', null, s.message));
      const extra = STEP_BODIES[s.name];
      if (extra) append(body, extra(p, r));
      details.appendChild(body);
      list.appendChild(h('li', null, details));
    }
    return section('chain', 'Chain', list.childNodes.length ? list : h('p', { class: 'muted' }, 'No steps in this result.'));
  }

  const STEP_BODIES = {
    signature(p, r) {
      const sig = r.signature || {};
      const out = [];
      if (sig.message && !(r.steps || []).some((s) => s.name === 'signature' && s.message === sig.message)) out.push(h('p', null, sig.message));
      if (sig.keyName) out.push(h('p', null, 'Matched key: ', h('code', null, sig.keyName)));
      if (sig.diagnosis && sig.diagnosis.length) {
        out.push(h('h3', null, 'Diagnosis'));
        out.push(
          h(
            'ul',
            { class: 'diagnosis' },
            sig.diagnosis.map((d) =>
              h(
                'li',
                null,
                h('span', { class: 'code' }, d.code),
                ' ',
                d.message,
                d.keyName ? h('span', { class: 'muted' }, ` (key ${d.keyName})`) : null,
              ),
            ),
          ),
        );
      }
      const corrected = sig.correctedSignature || (sig.diagnosis || []).map((d) => d.correctedSignature).find(Boolean);
      if (corrected) {
        out.push(h('h3', null, 'Corrected signature'));
        out.push(h('pre', { class: 'code-block wrap' }, corrected));
      }
      const buttons = ['signature', 'correctedSignature', 'token'].filter((w) => (p.copyable || []).includes(w));
      if (buttons.length) out.push(h('div', { class: 'actions' }, buttons.map((w) => copyButton(w))));
      return out;
    },
    event(p, r) {
      const e = r.event;
      if (!e) return [];
      const dl = h('dl', { class: 'facts' });
      fact(dl, 'Protocols', (e.protocols || []).join(', '));
      fact(dl, 'signatureVerified', String(e.signatureVerified));
      fact(dl, 'Token', e.token);
      const pd = e.protocolData || {};
      if (pd.mqtt) {
        fact(dl, 'MQTT client id', pd.mqtt.clientId);
        fact(dl, 'MQTT username', pd.mqtt.username);
        fact(dl, 'MQTT password (base64)', pd.mqtt.password);
      }
      if (pd.http) {
        fact(dl, 'HTTP headers', Object.keys(pd.http.headers || {}).join(', ') || '(none)');
        fact(dl, 'Query string', pd.http.queryString);
      }
      if (pd.tls) fact(dl, 'TLS server name', pd.tls.serverName);
      fact(dl, 'Connection id', e.connectionMetadata && e.connectionMetadata.id);
      return [dl, h('p', { class: 'muted' }, 'The whole event is under Raw data below.'), h('div', { class: 'actions' }, copyButton('event'))];
    },
    handler(p, r) {
      const out = [];
      const hd = r.handler;
      if (hd) {
        const dl = h('dl', { class: 'facts' });
        fact(dl, 'Status', hd.status);
        fact(dl, 'Handler duration', fmtMs(hd.durationMs));
        fact(dl, 'Process time', fmtMs(hd.wallMs));
        fact(dl, 'Timeout', fmtMs(hd.timeoutMs));
        if (hd.exitCode !== undefined && hd.exitCode !== null) fact(dl, 'Exit code', String(hd.exitCode));
        fact(dl, 'Signal', hd.signal);
        fact(dl, 'Request id', hd.requestId);
        out.push(dl);
        if (hd.message && !(r.steps || []).some((s) => s.name === 'handler' && s.message && s.message.startsWith(hd.message))) out.push(h('p', null, hd.message));
        if (hd.warning) out.push(h('p', { class: 'warning' }, hd.warning));
        if (hd.error) {
          out.push(h('h3', null, 'Error'));
          out.push(h('p', null, h('span', { class: 'code' }, hd.error.type), ' ', hd.error.message));
          if (hd.error.stack && hd.error.stack.length) out.push(h('pre', { class: 'code-block' }, hd.error.stack.join('\n')));
        }
      }
      out.push(renderLog(r, hd));
      return out;
    },
    response(p, r) {
      const out = [];
      const findings = r.responseFindings || [];
      if (findings.length) {
        out.push(h('h3', null, `Findings (${findings.length})`));
        const tbody = h('tbody');
        findings.forEach((f) =>
          tbody.appendChild(
            h(
              'tr',
              { class: `severity-${f.severity}` },
              h('td', null, h('span', { class: ['badge', `sev-${f.severity}`] }, f.severity)),
              h('td', null, h('span', { class: 'code' }, f.code)),
              h('td', null, f.message),
            ),
          ),
        );
        out.push(h('table', { class: 'grid findings' }, h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Severity'), h('th', { scope: 'col' }, 'Code'), h('th', { scope: 'col' }, 'Message'))), tbody));
      } else if (r.response !== undefined && Array.isArray(r.responseFindings)) {
        out.push(h('p', { class: 'muted' }, 'No findings.'));
      }
      const resp = r.response && typeof r.response === 'object' ? r.response : undefined;
      if (resp && !r.steps) {
        // A result without steps (AWS): say what the answer was.
        const dl = h('dl', { class: 'facts' });
        if ('isAuthenticated' in resp) fact(dl, 'isAuthenticated', String(resp.isAuthenticated));
        fact(dl, 'principalId', resp.principalId);
        if (Array.isArray(resp.policyDocuments)) fact(dl, 'Policy documents', String(resp.policyDocuments.length));
        if (dl.childNodes.length) out.unshift(dl);
      }
      if ((p.copyable || []).includes('response')) out.push(h('div', { class: 'actions' }, copyButton('response')));
      return out;
    },
    connect(p, r) {
      return r.connect ? [decisionTable(p, [{ key: 'connect', d: r.connect, label: 'Connect' }])] : [];
    },
    decisions(p, r) {
      const ops = allDecisions(r).filter((x) => x.key !== 'connect');
      return ops.length ? [decisionTable(p, ops)] : [];
    },
  };

  function renderLog(r, hd) {
    const chunks = r.log || [];
    const wrap = h('div', { class: 'log-wrap' }, h('h3', null, 'Log'));
    if (!chunks.length) {
      wrap.appendChild(h('p', { class: 'muted' }, 'The handler wrote nothing.'));
      return wrap;
    }
    wrap.appendChild(h('p', { class: 'muted legend' }, 'Lines marked ', h('span', { class: 'stream stream-stderr' }, 'stderr'), ' went to standard error, ', h('span', { class: 'stream stream-stdout' }, 'stdout'), ' to standard output.'));
    const log = h('div', { class: 'log', role: 'log', 'aria-label': 'Handler log', tabindex: '0' });
    let lines = 0;
    let more = 0;
    for (const c of chunks) {
      const parts = String(c.text).replace(/\n$/, '').split('\n');
      for (const line of parts) {
        if (lines >= MAX_LOG_LINES) {
          more++;
          continue;
        }
        lines++;
        log.appendChild(h('div', { class: ['log-line', `log-${c.stream}`] }, h('span', { class: ['stream', `stream-${c.stream}`] }, c.stream), h('span', { class: 'log-text' }, line)));
      }
    }
    wrap.appendChild(log);
    if (more) wrap.appendChild(h('p', { class: 'muted' }, `… ${more} more line(s): Copy log for all of it.`));
    if (hd && hd.logTruncated) wrap.appendChild(h('p', { class: 'warning' }, 'The log was truncated by the emulator.'));
    wrap.appendChild(h('div', { class: 'actions' }, copyButton('log')));
    return wrap;
  }

  /** The table texts the extension decided for a decision (short resource, reason without the statement). */
  function textsOf(p, key, d) {
    const t = p.decisionTexts || {};
    const given = key === 'connect' ? t.connect : (t.decisions || [])[Number(String(key).replace(/^op-/, ''))];
    return given || { resource: d.input || d.resource, reason: d.reason };
  }
  /** Text with a line-break opportunity after each '/' and ':' (no breaks inside names). */
  function breakable(text) {
    const out = [];
    String(text)
      .split(/(?<=[/:])/)
      .forEach((part, i) => {
        if (i) out.push(h('wbr'));
        out.push(part);
      });
    return out;
  }
  function decisionTable(p, items) {
    const tbody = h('tbody');
    for (const { key, d } of items) {
      const ref = d.decidedBy;
      const texts = textsOf(p, key, d);
      const extra = [];
      if (d.uncertain) extra.push(h('p', { class: 'warning' }, 'Uncertain: a condition could not be evaluated locally (fail-closed).'));
      (d.notes || []).forEach((n) => extra.push(h('p', { class: 'muted note' }, n)));
      tbody.appendChild(
        h(
          'tr',
          { class: ['decision-row', `decision-row-${d.decision}`], 'data-key': key },
          h(
            'th',
            { scope: 'row' },
            h(
              'button',
              {
                type: 'button',
                class: 'link select-decision',
                id: `dec-${key}`,
                'data-key': key,
                'aria-pressed': 'false',
                'aria-controls': ref ? stmtId(ref) : undefined,
                title: ref ? 'Highlight the deciding statement' : 'No statement decides this: nothing to highlight',
              },
              h('span', { class: 'action' }, d.action),
              ' ',
              h('span', { class: 'resource', title: d.resource }, breakable(texts.resource)),
            ),
          ),
          h('td', null, decisionBadge(d.decision)),
          h('td', null, texts.reason, extra),
          h('td', null, ref ? whereText(ref) : h('span', { class: 'muted' }, 'none (implicit deny)')),
        ),
      );
    }
    return h(
      'table',
      { class: 'grid decisions' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          h('th', { scope: 'col', class: 'col-operation' }, 'Operation'),
          h('th', { scope: 'col', class: 'col-decision' }, 'Decision'),
          h('th', { scope: 'col' }, 'Reason'),
          h('th', { scope: 'col', class: 'col-statement' }, 'Deciding statement'),
        ),
      ),
      tbody,
    );
  }

  function renderCompare(p) {
    const a = p.result || {};
    const b = p.compare.result || {};
    const rows = [];
    const add = (label, va, vb) => rows.push({ label, va, vb });
    add('Outcome', a.outcome, b.outcome);
    if (a.authenticated !== undefined || b.authenticated !== undefined) add('Authenticated', yn(a.authenticated), yn(b.authenticated));
    if (a.principalId !== undefined || b.principalId !== undefined) add('Principal', a.principalId, b.principalId);
    if (a.connect || b.connect) add(`iot:Connect ${(a.connect || b.connect).input || (a.connect || b.connect).resource}`, a.connect && a.connect.decision, b.connect && b.connect.decision);
    const key = (d) => `${d.action} ${d.resource}`;
    const seen = new Map();
    (a.decisions || []).forEach((d) => seen.set(key(d), { label: `${d.action} ${d.input || d.resource}`, va: d.decision }));
    (b.decisions || []).forEach((d) => {
      const e = seen.get(key(d)) || { label: `${d.action} ${d.input || d.resource}` };
      e.vb = d.decision;
      seen.set(key(d), e);
    });
    seen.forEach((e) => add(e.label, e.va, e.vb));
    const tbody = h('tbody');
    rows.forEach((row) => {
      const same = row.va === row.vb;
      const missing = row.va === undefined || row.vb === undefined;
      tbody.appendChild(
        h(
          'tr',
          { class: same ? 'same' : missing ? 'missing' : 'differs' },
          h('th', { scope: 'row' }, row.label),
          h('td', null, row.va === undefined ? h('span', { class: 'muted' }, '—') : cell(row.va)),
          h('td', null, row.vb === undefined ? h('span', { class: 'muted' }, '—') : cell(row.vb)),
          h('td', null, same ? 'same' : missing ? h('span', { class: 'muted' }, `only in ${row.va === undefined ? p.compare.sourceLabel : p.sourceLabel}`) : h('strong', { class: 'differs-text' }, 'differs')),
        ),
      );
    });
    return section(
      'compare',
      `Compare: ${p.sourceLabel} and ${p.compare.title}`,
      p.compare.result && p.compare.result.summary ? h('p', { class: 'muted' }, `${p.compare.title}: ${p.compare.result.summary}`) : null,
      h(
        'table',
        { class: 'grid compare' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Operation'), h('th', { scope: 'col' }, p.sourceLabel), h('th', { scope: 'col' }, p.compare.sourceLabel), h('th', { scope: 'col' }, 'Match'))),
        tbody,
      ),
    );
  }
  function yn(v) {
    return v === undefined ? undefined : v ? 'yes' : 'no';
  }
  function cell(v) {
    return v === 'allow' || v === 'deny' ? decisionBadge(v) : String(v);
  }

  function renderPolicies(p, r) {
    const docs = p.policies || [];
    if (!docs.length) return section('policies', 'Policy documents', h('p', { class: 'muted' }, 'The response has no policy documents.'));
    const decidersByStmt = {};
    allDecisions(r).forEach((x) => {
      if (!x.d.decidedBy) return;
      const id = stmtId(x.d.decidedBy);
      (decidersByStmt[id] = decidersByStmt[id] || []).push(x);
    });
    const out = [];
    docs.forEach((doc, di) => {
      const box = h('div', { class: 'policy-doc', id: `doc-${di}` }, h('h3', null, `Policy document #${di + 1}`));
      if (!('parsed' in doc)) {
        box.appendChild(h('p', { class: 'warning' }, `Not valid JSON: ${doc.error}`));
        box.appendChild(h('pre', { class: 'code-block' }, doc.text));
      } else {
        box.appendChild(renderPolicyJson(doc.parsed, di, decidersByStmt));
      }
      out.push(box);
    });
    if ((p.copyable || []).includes('policies')) out.push(h('div', { class: 'actions' }, copyButton('policies')));
    return section('policies', 'Policy documents', h('p', { class: 'muted' }, 'Select an operation above to highlight the statement that decided it.'), out);
  }

  /** Formatted JSON where each statement is its own block (id stmt-<doc>-<statement>), so highlighting is exact. */
  function renderPolicyJson(doc, di, decidersByStmt) {
    const box = h('div', { class: 'json' });
    let text = '';
    const flush = () => {
      if (text) box.appendChild(h('pre', { class: 'json-text' }, text.replace(/\n$/, '')));
      text = '';
    };
    const stmtBlock = (s, si, body) => {
      flush();
      const id = `stmt-${di}-${si}`;
      const deciders = decidersByStmt[id] || [];
      const block = h('div', { class: ['stmt', deciders.length ? 'deciding' : null], id, role: 'group', 'aria-label': `Statement #${si + 1} of policy document #${di + 1}`, tabindex: '-1' });
      if (deciders.length) {
        block.appendChild(
          h(
            'p',
            { class: 'stmt-tag' },
            h('span', { class: 'selected-mark' }),
            'Deciding statement for ',
            deciders.map((x, i) => [i ? '; ' : '', `${x.d.action} ${x.d.input || x.d.resource} (${x.d.decision})`]),
          ),
        );
      }
      block.appendChild(h('pre', { class: 'json-text' }, body.replace(/\n$/, '')));
      box.appendChild(block);
    };
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
      text = json(doc);
      flush();
      return box;
    }
    const keys = Object.keys(doc);
    text += '{\n';
    keys.forEach((k, i) => {
      const comma = i < keys.length - 1 ? ',' : '';
      const v = doc[k];
      if (k === 'Statement' && Array.isArray(v)) {
        text += `  "Statement": [\n`;
        v.forEach((s, si) => stmtBlock(s, si, `${indent(json(s), 4)}${si < v.length - 1 ? ',' : ''}\n`));
        text += `  ]${comma}\n`;
      } else if (k === 'Statement' && v && typeof v === 'object') {
        stmtBlock(v, 0, `  "Statement": ${indent(json(v), 2).trimStart()}${comma}\n`);
      } else {
        text += `  ${JSON.stringify(k)}: ${indent(json(v), 2).trimStart()}${comma}\n`;
      }
    });
    text += '}\n';
    flush();
    return box;
  }

  function renderRaw(p, r) {
    const parts = [];
    if (r.event !== undefined) {
      parts.push(h('details', { class: 'raw', id: 'raw-event' }, h('summary', null, 'Event (the Lambda input)'), h('div', { class: 'actions' }, copyButton('event')), h('pre', { class: 'code-block' }, json(r.event))));
    }
    if (r.response !== undefined || r.responseText) {
      parts.push(
        h(
          'details',
          { class: 'raw', id: 'raw-response' },
          h('summary', null, p.source === 'aws' ? 'Response (from AWS)' : 'Response (the Lambda output)'),
          h('div', { class: 'actions' }, copyButton('response')),
          h('pre', { class: 'code-block' }, r.responseText || json(r.response)),
        ),
      );
    }
    if (!parts.length) parts.push(h('p', { class: 'muted' }, 'No event or response in this result.'));
    return section('raw', 'Raw data', parts);
  }

  // ---------- selection and highlighting ----------
  function applySelection(scroll) {
    const r = (current && current.payload.result) || {};
    const sel = allDecisions(r).find((x) => x.key === state.selected);
    const targetId = sel && sel.d.decidedBy ? stmtId(sel.d.decidedBy) : undefined;
    document.querySelectorAll('.stmt.highlighted').forEach((el) => {
      el.classList.remove('highlighted');
      el.removeAttribute('aria-current');
    });
    document.querySelectorAll('.select-decision').forEach((b) => b.setAttribute('aria-pressed', String(b.getAttribute('data-key') === state.selected)));
    document.querySelectorAll('.decision-row').forEach((row) => row.classList.toggle('selected', row.getAttribute('data-key') === state.selected));
    document.querySelectorAll('.selected-mark').forEach((m) => (m.textContent = ''));
    const target = targetId && document.getElementById(targetId);
    if (target) {
      target.classList.add('highlighted');
      target.setAttribute('aria-current', 'true');
      const mark = target.querySelector('.selected-mark');
      if (mark) mark.textContent = '▶ Highlighted: ';
      if (scroll && target.scrollIntoView) target.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    }
  }

  function report() {
    if (!current) return;
    const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
    vscode.postMessage({
      type: 'rendered',
      seq: current.seq,
      text: (document.body.innerText || '').slice(0, 20000),
      csp: meta ? meta.getAttribute('content') : '',
      highlighted: Array.from(document.querySelectorAll('.stmt.highlighted')).map((e) => e.id),
      deciding: Array.from(document.querySelectorAll('.stmt.deciding')).map((e) => e.id),
    });
  }

  // ---------- events ----------
  document.addEventListener('click', (ev) => {
    const t = ev.target instanceof Element ? ev.target.closest('button') : null;
    if (!t) return;
    if (t.id === 'open-test-case') {
      vscode.postMessage({ type: 'openAsTestCase' });
    } else if (t.hasAttribute('data-copy')) {
      vscode.postMessage({ type: 'copy', what: t.getAttribute('data-copy') });
    } else if (t.classList.contains('select-decision')) {
      state.selected = t.getAttribute('data-key');
      vscode.setState(state);
      applySelection(true);
      report();
    }
  });
  // Details opened or closed change what a person sees: report again.
  let reportTimer;
  document.addEventListener(
    'toggle',
    () => {
      clearTimeout(reportTimer);
      reportTimer = setTimeout(report, 50);
    },
    true,
  );

  window.addEventListener('message', (ev) => {
    const m = ev.data;
    if (!m || typeof m !== 'object') return;
    try {
      if (m.type === 'show' && m.payload) render(m.seq, m.payload);
      else if (m.type === 'click' && typeof m.id === 'string') {
        const el = document.getElementById(m.id);
        if (el) el.click();
        else vscode.postMessage({ type: 'error', message: `click: no element #${m.id}` });
      }
    } catch (e) {
      vscode.postMessage({ type: 'error', message: e && e.stack ? e.stack : String(e) });
    }
  });
  window.addEventListener('error', (e) => vscode.postMessage({ type: 'error', message: `${e.message} (${e.filename}:${e.lineno})` }));

  vscode.postMessage({ type: 'ready' });
})();
