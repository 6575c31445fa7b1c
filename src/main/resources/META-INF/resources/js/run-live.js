// Live progress of one run: follows /api/v1/runs/{id}/events and updates the counts, the bar and the rows on
// this page. Node data only ever reaches the page through textContent, never as markup.
(function () {
  'use strict';
  var root = document.getElementById('run-live');
  if (!root || root.dataset.running !== 'true' || !window.EventSource) {
    return;
  }
  // The state lists come from the server (the page renders them from its enums), so a new state needs no edit here.
  function words(value) {
    return (value || '').split(' ').filter(function (word) { return word !== ''; });
  }
  var STATES = words(root.dataset.states);
  var PENDING = words(root.dataset.pendingStates);
  var RUN_STATES = words(root.dataset.runStates);
  var runId = root.dataset.runId;
  var source = new EventSource('/api/v1/runs/' + encodeURIComponent(runId) + '/events');

  function known(value, list) {
    return list.indexOf(value) >= 0 ? value : 'unknown';
  }

  function took(ms) {
    if (ms === undefined || ms === null) {
      return '';
    }
    return ms < 1000 ? ms + ' ms' : (ms / 1000).toFixed(1) + ' s';
  }

  function onTarget(event) {
    // Rows of other pages or filters are not on this page; the counts still cover them.
    var row = root.querySelector('tr[data-target="' + Number(event.targetId) + '"]');
    if (!row) {
      return;
    }
    var state = known(event.state, STATES);
    var badge = row.querySelector('[data-field="state"]');
    badge.className = 'badge state-' + state;
    badge.textContent = event.state;
    row.querySelector('[data-field="took"]').textContent = took(event.durationMs);
    var result = row.querySelector('[data-field="result"]');
    if (event.failureKind) {
      var failure = document.createElement('span');
      failure.className = 'failure';
      // As the server renders it: the node tool's words up front, the machine codes on hover.
      var message = event.failureMessage || '';
      var code = event.failureKind === 'nonzero_exit' ? /^([a-z][a-z0-9_]*): /.exec(message) : null;
      if (code) {
        message = message.slice(code[0].length);
      }
      failure.title = event.failureKind + (code ? ' · ' + code[1] : '');
      failure.textContent = event.failureKind === 'nonzero_exit' && message ? message
        : event.failureKind + (message ? ': ' + message : '');
      result.replaceChildren(failure);
    } else if (state !== 'ok') {
      result.replaceChildren();
    }
  }

  function onRun(event) {
    var counts = event.counts || {};
    var total = event.total || 0;
    var done = 0;
    STATES.forEach(function (state) {
      var n = counts[state] || 0;
      if (PENDING.indexOf(state) < 0) {
        done += n;
      }
      root.querySelectorAll('[data-count="' + state + '"]').forEach(function (el) { el.textContent = n; });
      var bar = root.querySelector('[data-share="' + state + '"]');
      if (bar) {
        bar.style.width = (total === 0 ? 0 : (n * 100 / total).toFixed(2)) + '%';
      }
    });
    root.querySelectorAll('[data-count="total"]').forEach(function (el) { el.textContent = total; });
    document.getElementById('run-percent').textContent = (total === 0 ? 100 : Math.floor(done * 100 / total)) + '%';
    var runState = known(event.runState, RUN_STATES);
    var stateBadge = document.getElementById('run-state');
    var failed = (counts.failed || 0) + (counts.orphaned || 0);
    if (runState === 'finished' && failed > 0) {
      // A finish with failures is never the green of a clean one.
      stateBadge.className = 'badge ' + (failed < total ? 'run-partial' : 'run-failed');
      stateBadge.textContent = 'finished, ' + failed + ' failed';
    } else {
      stateBadge.className = 'badge run-' + runState;
      stateBadge.textContent = event.runState;
    }
    if (event.runState !== 'running') {
      finished(counts);
    }
  }

  // The stream ends with the run; closing keeps EventSource from reconnecting. The table is then fetched once
  // more, as server-rendered HTML, to show each node's result data.
  function finished(counts) {
    source.close();
    document.getElementById('cancel-form').hidden = true;
    document.getElementById('retry-form').hidden = !(counts.failed > 0 || counts.orphaned > 0);
    showFinishTime();
    var query = new URLSearchParams();
    if (root.dataset.state) {
      query.set('state', root.dataset.state);
    }
    query.set('page', root.dataset.page || '0');
    if (window.htmx) {
      window.htmx.ajax('GET', '/runs/' + encodeURIComponent(runId) + '/targets?' + query, {
        target: '#targets', swap: 'outerHTML'
      }).then(function () { root.dataset.running = 'false'; });
    } else {
      root.dataset.running = 'false';
    }
  }

  // Events carry no times; the run itself does, written as the server pages write it (UTC, to the second).
  function showFinishTime() {
    fetch('/api/v1/runs/' + encodeURIComponent(runId), { headers: { Accept: 'application/json' } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (run) {
        if (run && typeof run.finishedAt === 'string') {
          document.getElementById('run-finished').textContent = run.finishedAt.replace('T', ' ').slice(0, 19) + ' UTC';
        }
      })
      .catch(function () { /* the time shows on the next visit */ });
  }

  source.onmessage = function (message) {
    var event;
    try {
      event = JSON.parse(message.data);
    } catch (e) {
      return;
    }
    if (event.type === 'target') {
      onTarget(event);
    } else if (event.type === 'run') {
      onRun(event);
    }
  };
}());
