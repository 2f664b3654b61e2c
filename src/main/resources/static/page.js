// The upgrade readiness page: reads the JSON report and shows it. Every piece of report data is written with
// textContent (never innerHTML): the report carries cluster object names and messages.
'use strict';

(function () {
  // Relative, so that the page works behind Rancher's service proxy path as well as on its own port.
  var REPORT_URL = 'api/v1/upgrade-readiness';
  var REHEARSAL_URL = 'api/v1/upgrade-rehearsal';
  var REHEARSAL_MEANING = {
    FITS: 'every running VM finds a node at every step',
    AT_RISK: 'some VMs fit only if they move in another order than the likely one',
    DOES_NOT_FIT: 'some VMs find no node when their node is drained',
    SINGLE_NODE: 'one node: no VM can migrate, every running VM is stopped'
  };
  var REFRESH_SECONDS = 15;
  var REQUEST_TIMEOUT_MS = 10000;

  var MEANING = {
    READY: 'Nothing blocks the upgrade and every check was evaluated.',
    NOT_READY: 'The cluster cannot be upgraded now: fix the blocking findings below first.',
    UNKNOWN: 'Nothing known blocks the upgrade, but some checks could not be evaluated.'
  };
  var VISIBLE_REASONS = 4;

  var timer = null;
  var lastUpdate = null;

  function $(id) {
    return document.getElementById(id);
  }

  // el('p', {className: 'x'}, 'text', otherNode): strings become text nodes.
  function el(tag, props) {
    var node = document.createElement(tag);
    if (props) {
      Object.keys(props).forEach(function (key) {
        node[key] = props[key];
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined) {
        continue;
      }
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function plural(count, word) {
    return count + ' ' + word + (count === 1 ? '' : 's');
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) {
      return 'unknown';
    }
    if (seconds < 60) {
      return seconds + ' s';
    }
    var minutes = Math.floor(seconds / 60);
    if (minutes < 60) {
      return minutes + ' min ' + (seconds % 60) + ' s';
    }
    var hours = Math.floor(minutes / 60);
    if (hours < 48) {
      return hours + ' h ' + (minutes % 60) + ' min';
    }
    return Math.floor(hours / 24) + ' days';
  }

  function resourceName(ref) {
    var name = ref.namespace ? ref.namespace + '/' + ref.name : ref.name;
    return (ref.kind || '?') + ' ' + name;
  }

  function detailValue(value) {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  }

  // ---- rendering -------------------------------------------------------------------------------------------

  function renderVerdict(report) {
    var verdict = report.verdict || 'UNKNOWN';
    var node = $('verdict');
    node.textContent = verdict;
    node.className = 'verdict ' + (MEANING[verdict] ? verdict : 'UNKNOWN');
    $('verdict-meaning').textContent = MEANING[verdict] || '';

    var versions = report.versions || {};
    var upgrade = (versions.current || 'current version unknown') + ' → ' + (versions.target || 'no target version');
    $('versions').textContent = upgrade + (versions.targetSource ? ' (' + versions.targetSource + ')' : '');

    var snapshot = report.snapshot || {};
    var snapshotNode = $('snapshot');
    clear(snapshotNode);
    snapshotNode.appendChild(el('span', null, 'taken ' + duration(snapshot.ageSeconds) + ' ago'
        + (snapshot.source ? ' from ' : ''), snapshot.source ? el('code', null, snapshot.source) : null, ' · '));
    if (snapshot.stale) {
      var kinds = snapshot.staleKinds && snapshot.staleKinds.length ? ' (' + snapshot.staleKinds.join(', ') + ')' : '';
      snapshotNode.appendChild(el('span', {className: 'stale'}, 'STALE: no contact with the API server for '
          + duration(snapshot.staleSeconds) + kinds));
    } else {
      snapshotNode.appendChild(el('span', null, 'up to date'));
    }

    var s = report.summary || {};
    $('summary').textContent = plural(s.checks || 0, 'check') + ': ' + (s.passed || 0) + ' passed, '
        + (s.failed || 0) + ' failed, ' + (s.skipped || 0) + ' skipped, ' + (s.errored || 0) + ' errored · '
        + plural(s.findings || 0, 'finding') + ', ' + (s.blockingFindings || 0) + ' blocking'
        + (s.acknowledged ? ', ' + s.acknowledged + ' acknowledged' : '');

    var reasons = report.reasons || [];
    var list = $('reasons');
    clear(list);
    $('reasons-block').hidden = reasons.length === 0;
    reasons.slice(0, VISIBLE_REASONS).forEach(function (reason) {
      list.appendChild(el('li', null, reason));
    });
    if (reasons.length > VISIBLE_REASONS) {
      var more = el('ul');
      reasons.slice(VISIBLE_REASONS).forEach(function (reason) {
        more.appendChild(el('li', null, reason));
      });
      list.appendChild(el('li', null,
          el('details', null, el('summary', null, plural(reasons.length - VISIBLE_REASONS, 'more reason')), more)));
    }
  }

  function findingItem(finding) {
    var fields = el('dl');
    var resources = finding.resources || [];
    if (resources.length) {
      var names = el('ul', {className: 'resources'});
      resources.forEach(function (ref) {
        names.appendChild(el('li', {className: 'resource'}, resourceName(ref)));
      });
      fields.appendChild(el('dt', null, resources.length === 1 ? 'Resource' : 'Resources'));
      fields.appendChild(el('dd', null, names));
    }
    if (finding.remediation) {
      fields.appendChild(el('dt', null, 'Fix'));
      fields.appendChild(el('dd', {className: 'remediation'}, finding.remediation));
    }
    if (finding.acknowledged) {
      var ack = finding.acknowledged;
      fields.appendChild(el('dt', null, 'Acknowledged'));
      fields.appendChild(el('dd', {className: 'acknowledgement'}, (ack.reason || '')
          + (ack.expires ? ' (until ' + ack.expires + ')' : '') + (ack.rule ? ' · ' + ack.rule : '')));
    }
    var details = finding.details || {};
    var keys = Object.keys(details);
    if (keys.length) {
      fields.appendChild(el('dt', null, 'Details'));
      fields.appendChild(el('dd', null, keys.map(function (key) {
        return key + ': ' + detailValue(details[key]);
      }).join(' · ')));
    }
    var message = el('p', {className: 'message'});
    if (!finding.blocking) {
      message.appendChild(el('span', {className: 'severity'}, (finding.severity || 'NOTE') + ':'));
    }
    if (message.firstChild) {
      message.appendChild(document.createTextNode(' '));
    }
    message.appendChild(document.createTextNode(finding.message || finding.id || ''));
    return el('li', {className: 'finding'}, message, fields);
  }

  // Findings grouped by check, in the report's check order.
  function renderGroups(container, report, findings, groupClass) {
    clear(container);
    var titles = {};
    var order = [];
    (report.checks || []).forEach(function (check) {
      titles[check.id] = check.title;
      order.push(check.id);
    });
    var byCheck = {};
    findings.forEach(function (finding) {
      if (!byCheck[finding.checkId]) {
        byCheck[finding.checkId] = [];
        if (order.indexOf(finding.checkId) < 0) {
          order.push(finding.checkId);
        }
      }
      byCheck[finding.checkId].push(finding);
    });
    order.forEach(function (checkId) {
      var group = byCheck[checkId];
      if (!group) {
        return;
      }
      var list = el('ul', {className: 'findings'});
      group.forEach(function (finding) {
        list.appendChild(findingItem(finding));
      });
      container.appendChild(el('article', {className: 'check-group ' + groupClass},
          el('h3', null, (titles[checkId] || checkId) + ' ', el('code', null, checkId)), list));
    });
  }

  function renderFindings(report) {
    var findings = report.findings || [];
    // An acknowledged finding does not count toward the verdict: it is listed apart, never hidden.
    var blocking = findings.filter(function (f) { return f.blocking && !f.acknowledged; });
    var others = findings.filter(function (f) { return !f.blocking && !f.acknowledged; });
    var acknowledged = findings.filter(function (f) { return f.acknowledged; });
    var expired = report.expiredAcknowledgements || [];

    $('blocking-title').textContent = 'Blocking findings (' + blocking.length + ')';
    renderGroups($('blocking-list'), report, blocking, 'blocking');
    if (!blocking.length) {
      $('blocking-list').appendChild(el('p', {className: 'none'}, 'Nothing blocks the upgrade.'));
    }

    $('warnings').hidden = others.length === 0;
    $('warnings-title').textContent = 'Warnings (' + others.length + ')';
    $('warnings-summary').textContent = 'Show ' + plural(others.length, 'non-blocking finding');
    renderGroups($('warnings-list'), report, others, 'warning');

    $('acknowledged').hidden = acknowledged.length === 0 && expired.length === 0;
    $('acknowledged-title').textContent = 'Acknowledged (' + acknowledged.length + ')';
    $('acknowledged-details').hidden = acknowledged.length === 0;
    $('acknowledged-summary').textContent = 'Show ' + plural(acknowledged.length, 'acknowledged finding');
    renderGroups($('acknowledged-list'), report, acknowledged, 'acknowledged');
    var expiredList = $('expired-acknowledgements');
    clear(expiredList);
    expired.forEach(function (rule) {
      var count = (rule.findings || []).length;
      expiredList.appendChild(el('li', null, 'Acknowledgement ' + rule.rule + ' (' + rule.check + ') expired on '
          + rule.expires + ' and no longer applies' + (count ? ': ' + plural(count, 'finding') + ' count again' : '')));
    });
  }

  function renderChecks(report) {
    var checks = report.checks || [];
    var notEvaluated = checks.filter(function (c) { return c.status === 'ERROR' || c.status === 'SKIPPED'; });
    var rows = $('not-evaluated-rows');
    clear(rows);
    $('not-evaluated').hidden = notEvaluated.length === 0;
    $('not-evaluated-title').textContent = 'Checks not evaluated (' + notEvaluated.length + ')';
    notEvaluated.forEach(function (check) {
      var status = check.status === 'SKIPPED' && check.skipKind === 'DELIBERATE' ? 'skipped on purpose'
          : check.status === 'SKIPPED' ? 'skipped: data missing' : 'error';
      rows.appendChild(el('tr', null,
          el('td', null, check.title || check.id, el('br'), el('code', null, check.id)),
          el('td', null, status),
          el('td', null, check.reason || '')));
    });

    var passed = checks.filter(function (c) { return c.status === 'PASS'; });
    var list = $('passed-list');
    clear(list);
    $('passed').hidden = passed.length === 0;
    $('passed-title').textContent = 'Checks passed (' + passed.length + ')';
    $('passed-summary').textContent = 'Show ' + plural(passed.length, 'passed check');
    passed.forEach(function (check) {
      list.appendChild(el('li', null, (check.title || check.id) + ' ', el('code', null, check.id)));
    });
  }

  function render(report) {
    renderVerdict(report);
    renderFindings(report);
    renderChecks(report);
    $('report').hidden = false;
  }

  // One row per node in upgrade order: what moves where, what does not fit (and the first reasons), what never
  // migrates. The rehearsal is fetched after the report; its failure is said in its section only.
  function renderRehearsal(rehearsal) {
    var rows = $('rehearsal-rows');
    clear(rows);
    var summary = rehearsal.summary || {};
    $('rehearsal-summary').textContent = summary.verdict + ': ' + (REHEARSAL_MEANING[summary.verdict] || '')
        + ' (' + plural(summary.vmsPlaced || 0, 'placement') + ', ' + (summary.vmsNotPlaced || 0) + ' not placed'
        + (rehearsal.orderSource === 'node-names' ? '; order approximate: no Machines' : '') + ').';
    $('rehearsal-summary').className = 'verdict-meaning rehearsal-' + summary.verdict;
    var tiers = {};
    (rehearsal.order || []).forEach(function (entry) { tiers[entry.step] = entry.tier; });
    (rehearsal.steps || []).forEach(function (step) {
      var moves = el('ul', {className: 'moves'});
      (step.placed || []).forEach(function (p) {
        moves.appendChild(el('li', null, p.vm + ' \u2192 ' + p.to));
      });
      var misfits = el('ul', {className: 'misfits'});
      (step.notPlaced || []).forEach(function (n) {
        var reasons = (n.reasons || []).filter(function (r) { return r.node !== step.node; }).slice(0, 3)
          .map(function (r) { return (r.node ? r.node + ': ' : '') + r.reason; });
        misfits.appendChild(el('li', null, el('strong', null, n.vm), ' ' + n.verdict + ' \u2014 ' + reasons.join('; ')));
      });
      var never = el('ul', {className: 'never'});
      (step.nonMigratable || []).forEach(function (n) {
        never.appendChild(el('li', null, n.vm + ' (' + n.outcome + '): ' + n.reason));
      });
      var row = el('tr', {className: (step.notPlaced || []).length ? 'fails' : ''},
          el('td', null, String(step.step) + (step.hypothetical ? ' (hypothetical)' : '')),
          el('td', null, step.node + ' ', el('span', {className: 'tier'}, tiers[step.step] || '')),
          el('td', null, String(step.vms)), el('td', null, moves), el('td', null, misfits), el('td', null, never));
      rows.appendChild(row);
    });
  }

  function refreshRehearsal() {
    return fetch(REHEARSAL_URL, {headers: {Accept: 'application/json'}, cache: 'no-store'}).then(function (response) {
      return readJson(response).then(function (body) {
        if (response.ok && body && body.summary) {
          renderRehearsal(body);
        } else {
          $('rehearsal-summary').textContent = 'The rehearsal is not available (HTTP ' + response.status + ')'
              + (body && body.detail ? ': ' + body.detail : '') + '.';
        }
      });
    }, function (error) {
      $('rehearsal-summary').textContent = 'The rehearsal could not be loaded: ' + String((error && error.message) || error);
    });
  }

  // ---- fetching --------------------------------------------------------------------------------------------

  function showProblem(title, detail, items) {
    var box = $('problem');
    clear(box);
    box.appendChild(el('strong', null, title));
    if (detail) {
      box.appendChild(el('span', null, detail));
    }
    if (items && items.length) {
      var list = el('ul');
      items.forEach(function (item) {
        list.appendChild(el('li', null, item));
      });
      box.appendChild(list);
    }
    box.hidden = false;
  }

  function hideProblem() {
    var box = $('problem');
    clear(box);
    box.hidden = true;
  }

  function setStatus(text) {
    var updated = lastUpdate ? 'Updated at ' + lastUpdate.toLocaleTimeString() : 'Not loaded yet';
    $('updated').textContent = text ? updated + ' · ' + text : updated;
  }

  function schedule(seconds) {
    if (timer) {
      clearTimeout(timer);
    }
    timer = setTimeout(refresh, seconds * 1000);
  }

  function retryAfter(response) {
    var seconds = parseInt(response.headers.get('Retry-After'), 10);
    return seconds > 0 && seconds <= REFRESH_SECONDS ? seconds : 5;
  }

  function readJson(response) {
    return response.text().then(function (body) {
      try {
        return JSON.parse(body);
      } catch (e) {
        return null;
      }
    });
  }

  function onResponse(response) {
    return readJson(response).then(function (body) {
      if (response.ok && body && body.verdict) {
        lastUpdate = new Date();
        hideProblem();
        render(body);
        refreshRehearsal();
        setStatus('next refresh in ' + REFRESH_SECONDS + ' s');
        schedule(REFRESH_SECONDS);
        return;
      }
      var problem = body || {};
      if (response.status === 503) {
        var wait = retryAfter(response);
        var pending = (problem.pending || []).map(function (kind) {
          return kind.resource + ': ' + (kind.message || 'not synced yet');
        });
        showProblem('No report yet (HTTP 503). Retrying in ' + wait + ' s.',
            problem.detail || problem.title || '', pending);
        setStatus('waiting for the snapshot');
        schedule(wait);
        return;
      }
      showProblem('The service answered HTTP ' + response.status + (problem.title ? ' ' + problem.title : '')
          + '. Retrying in ' + REFRESH_SECONDS + ' s.', problem.detail || '');
      setStatus('last request failed');
      schedule(REFRESH_SECONDS);
    });
  }

  function onNetworkError(error) {
    var timedOut = error && error.name === 'AbortError';
    showProblem('Cannot reach the service' + (timedOut ? ' (no answer within ' + REQUEST_TIMEOUT_MS / 1000 + ' s)' : '')
        + '. Retrying in ' + REFRESH_SECONDS + ' s.', timedOut ? '' : String((error && error.message) || error));
    setStatus('the service cannot be reached');
    schedule(REFRESH_SECONDS);
  }

  function onPageError(error) {
    showProblem('This page failed to show the report. Retrying in ' + REFRESH_SECONDS + ' s.',
        String((error && error.message) || error));
    setStatus('the report could not be shown');
    schedule(REFRESH_SECONDS);
  }

  function refresh() {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    var controller = typeof AbortController === 'function' ? new AbortController() : null;
    var abort = controller ? setTimeout(function () { controller.abort(); }, REQUEST_TIMEOUT_MS) : null;
    setStatus('refreshing…');
    return fetch(REPORT_URL, {
      headers: {Accept: 'application/json'},
      cache: 'no-store',
      signal: controller ? controller.signal : undefined
    }).then(onResponse, onNetworkError).catch(onPageError).then(function () {
      if (abort) {
        clearTimeout(abort);
      }
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    $('refresh-now').addEventListener('click', refresh);
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && lastUpdate && Date.now() - lastUpdate.getTime() > REFRESH_SECONDS * 1000) {
        refresh();
      }
    });
    refresh();
  });
}());
