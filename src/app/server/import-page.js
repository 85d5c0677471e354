// The import pages' script (served as is by import-pages.ts): no framework, no build step.
// Every value from the API is written with textContent, never as markup.
'use strict';

(function () {
  var KEY_STORAGE = 'loyalty.staffKey';
  var TERMINAL = ['COMPLETED', 'COMPLETED_WITH_ERRORS', 'FAILED', 'CANCELLED'];
  var NEWEST_ERRORS = 50;
  var main = document.getElementById('main');

  function el(tag, attributes, children) {
    var node = document.createElement(tag);
    Object.keys(attributes || {}).forEach(function (name) {
      if (name === 'text') node.textContent = attributes[name];
      else node.setAttribute(name, attributes[name]);
    });
    (children || []).forEach(function (child) {
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  function show(children) {
    main.replaceChildren.apply(main, children);
  }

  function key() {
    return sessionStorage.getItem(KEY_STORAGE);
  }

  function signIn(then, problem) {
    var input = el('input', { type: 'password', id: 'key', autocomplete: 'off', placeholder: 'lg_…', 'aria-label': 'Staff API key' });
    var form = el('form', { id: 'sign-in' }, [el('label', { for: 'key', text: 'Staff API key ' }), input, el('button', { type: 'submit', text: 'Sign in' })]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      if (!input.value.trim()) return;
      sessionStorage.setItem(KEY_STORAGE, input.value.trim());
      then();
    });
    show([el('h1', { text: 'Sign in' }), problem ? el('p', { class: 'problem', text: problem }) : el('p', { text: 'The key stays in this tab only.' }), form]);
    input.focus();
  }

  function graphql(query, variables) {
    return fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + key() },
      body: JSON.stringify({ query: query, variables: variables || {} }),
    }).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 401 || response.status === 403) {
          sessionStorage.removeItem(KEY_STORAGE);
          throw new Error('SIGN_IN');
        }
        if (body.errors && body.errors.length) throw new Error(body.errors[0].message);
        return body.data;
      });
    });
  }

  function failed(error, retry) {
    if (error && error.message === 'SIGN_IN') signIn(retry, 'That key was refused: sign in again.');
    else show([el('p', { class: 'problem', text: 'Could not load: ' + (error && error.message) })]);
  }

  function number(value) {
    return value === null || value === undefined ? '–' : Number(value).toLocaleString('en');
  }

  // ---------------------------------------------------------------------------------------------
  // The list: the org's latest jobs

  var LIST = 'query ImportPageList { importJobs(first: 50) { nodes { id fileName profile state dryRun createdAt progress { rowsRead rowsAccepted rowsRejected } } } }';

  function list() {
    graphql(LIST).then(function (data) {
      var rows = data.importJobs.nodes.map(function (job) {
        return el('tr', {}, [
          el('td', {}, [el('a', { href: '/imports/' + encodeURIComponent(job.id), text: job.fileName })]),
          el('td', { text: job.profile }),
          el('td', { class: 'state', text: job.state + (job.dryRun ? ' (dry run)' : '') }),
          el('td', { class: 'n', text: number(job.progress.rowsRead) }),
          el('td', { class: 'n', text: number(job.progress.rowsAccepted) }),
          el('td', { class: 'n', text: number(job.progress.rowsRejected) }),
          el('td', { text: job.createdAt }),
        ]);
      });
      var head = el('tr', {}, ['File', 'Profile', 'State', 'Rows read', 'Accepted', 'Rejected', 'Created'].map(function (title) {
        return el('th', { text: title });
      }));
      show([el('h1', { text: 'Imports' }), rows.length ? el('table', { id: 'jobs' }, [el('thead', {}, [head]), el('tbody', {}, rows)]) : el('p', { text: 'No imports yet.' })]);
    }, function (error) {
      failed(error, list);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // One job, live

  var JOB = 'query ImportPageJob($id: ID!) { importJob(id: $id) { id fileName profile dryRun createdAt replayableUntil errorCounts { code rows } } }';
  var PROGRESS = 'subscription ImportPageProgress($jobId: ID!) { importProgress(jobId: $jobId) { state bytesRead bytesTotal batchesMerged batchesTotal rowsRead rowsAccepted rowsRejected rowsCorrected rowsPerSecond etaSeconds failure { code message } } }';
  var ERRORS = 'subscription ImportPageErrors($jobId: ID!) { importErrors(jobId: $jobId) { errors { row line code field value message } } }';
  var CANCEL = 'mutation ImportPageCancel($input: ImportJobInput!) { importCancel(input: $input) { job { id } userErrors { code message } } }';
  var REPLAY = 'mutation ImportPageReplay($input: ImportJobInput!) { importReplay(input: $input) { job { id } userErrors { code message } } }';

  function fraction(progress) {
    if (TERMINAL.indexOf(progress.state) >= 0) return 1;
    if (progress.state === 'MERGING' && progress.batchesTotal > 0) return progress.batchesMerged / progress.batchesTotal;
    if (progress.bytesTotal > 0) return Math.min(1, progress.bytesRead / progress.bytesTotal);
    return 0;
  }

  function eta(seconds) {
    if (seconds === null || seconds === undefined) return '–';
    return seconds < 60 ? seconds + ' s' : Math.floor(seconds / 60) + ' min ' + (seconds % 60) + ' s';
  }

  function job(id) {
    graphql(JOB, { id: id }).then(function (data) {
      if (!data.importJob) {
        show([el('p', { class: 'problem', text: 'No import job with this id in your org.' })]);
        return;
      }
      watch(data.importJob);
    }, function (error) {
      failed(error, function () {
        job(id);
      });
    });
  }

  function watch(details) {
    var id = details.id;
    var state = el('span', { id: 'state', text: '…' });
    var bar = el('progress', { id: 'bar', max: '1000', value: '0' });
    var percent = el('span', { id: 'percent', text: '0 %' });
    var figures = {};
    var figureRows = ['rowsRead', 'rowsAccepted', 'rowsRejected', 'rowsCorrected', 'rowsPerSecond', 'eta'].map(function (name) {
      figures[name] = el('dd', { id: name, text: '–' });
      var titles = { rowsRead: 'Rows read', rowsAccepted: 'Accepted', rowsRejected: 'Rejected', rowsCorrected: 'Corrected', rowsPerSecond: 'Rows/s', eta: 'ETA' };
      return [el('dt', { text: titles[name] }), figures[name]];
    });
    var failure = el('p', { id: 'failure', class: 'problem', hidden: '' });
    var counts = el('tbody', { id: 'counts' });
    var errors = el('tbody', { id: 'errors' });
    var notice = el('p', { id: 'notice', class: 'notice' });
    var cancel = el('button', { id: 'cancel', type: 'button', text: 'Cancel', hidden: '' });
    var replay = el('button', { id: 'replay', type: 'button', text: 'Replay', hidden: '' });
    var report = el('button', { id: 'report', type: 'button', text: 'Download report' });
    // Counted from the stream, which starts with every error found so far; replaced by the job's own
    // counts (the whole job, however many errors it has) once the job has ended.
    var countByCode = {};

    function drawCounts() {
      var codes = Object.keys(countByCode).sort(function (a, b) {
        return countByCode[b] - countByCode[a];
      });
      counts.replaceChildren.apply(counts, codes.map(function (code) {
        return el('tr', {}, [el('td', { class: 'code', text: code }), el('td', { class: 'n', text: number(countByCode[code]) })]);
      }));
    }
    drawCounts();

    show([
      el('h1', {}, [el('span', { id: 'file', text: details.fileName }), ' ', el('small', { text: details.profile + (details.dryRun ? ' · dry run' : '') })]),
      el('p', {}, ['State: ', state, ' ', percent]),
      bar,
      el('dl', { id: 'figures' }, [].concat.apply([], figureRows)),
      failure,
      el('p', {}, [cancel, ' ', replay, ' ', report]),
      notice,
      el('h2', { text: 'Rejected rows by error code' }),
      el('table', {}, [el('thead', {}, [el('tr', {}, [el('th', { text: 'Code' }), el('th', { text: 'Rows' })])]), counts]),
      el('h2', { text: 'Newest errors' }),
      el('table', {}, [el('thead', {}, [el('tr', {}, ['Row', 'Line', 'Code', 'Field', 'Value', 'Message'].map(function (title) {
        return el('th', { text: title });
      }))]), errors]),
    ]);

    var socket = graphqlWs.createClient({
      url: location.origin.replace(/^http/, 'ws') + '/graphql',
      connectionParams: { authorization: 'Bearer ' + key() },
      lazy: false,
      retryAttempts: 5,
    });

    socket.subscribe({ query: PROGRESS, variables: { jobId: id } }, {
      next: function (message) {
        if (!message.data) return;
        var progress = message.data.importProgress;
        state.textContent = progress.state;
        bar.value = Math.round(fraction(progress) * 1000);
        percent.textContent = Math.round(fraction(progress) * 100) + ' %';
        figures.rowsRead.textContent = number(progress.rowsRead);
        figures.rowsAccepted.textContent = number(progress.rowsAccepted);
        figures.rowsRejected.textContent = number(progress.rowsRejected);
        figures.rowsCorrected.textContent = number(progress.rowsCorrected);
        figures.rowsPerSecond.textContent = progress.rowsPerSecond === null ? '–' : number(Math.round(progress.rowsPerSecond));
        figures.eta.textContent = TERMINAL.indexOf(progress.state) >= 0 ? '–' : eta(progress.etaSeconds);
        var ended = TERMINAL.indexOf(progress.state) >= 0;
        cancel.hidden = ended;
        replay.hidden = !(progress.state === 'FAILED' && details.replayableUntil);
        document.body.setAttribute('data-state', progress.state);
        if (progress.failure) {
          failure.hidden = false;
          failure.textContent = progress.failure.code + ': ' + progress.failure.message;
        }
      },
      error: function () {
        notice.textContent = 'The live connection failed: reload the page.';
      },
      complete: function () {},
    });

    socket.subscribe({ query: ERRORS, variables: { jobId: id } }, {
      next: function (message) {
        if (!message.data) return;
        message.data.importErrors.errors.forEach(function (issue) {
          countByCode[issue.code] = (countByCode[issue.code] || 0) + 1;
          errors.insertBefore(el('tr', {}, [
            el('td', { class: 'n', text: String(issue.row) }),
            el('td', { class: 'n', text: String(issue.line) }),
            el('td', { class: 'code', text: issue.code }),
            el('td', { text: issue.field || '' }),
            el('td', { class: 'value', text: issue.value === null ? '' : issue.value }),
            el('td', { text: issue.message }),
          ]), errors.firstChild);
        });
        while (errors.childNodes.length > NEWEST_ERRORS) errors.removeChild(errors.lastChild);
        drawCounts();
      },
      error: function () {},
      complete: function () {
        // The job has ended: its own counts.
        graphql(JOB, { id: id }).then(function (data) {
          if (!data.importJob) return;
          countByCode = {};
          data.importJob.errorCounts.forEach(function (count) {
            countByCode[count.code] = count.rows;
          });
          drawCounts();
        }, function () {});
      },
    });

    function act(query, what) {
      graphql(query, { input: { id: id } }).then(function (data) {
        var payload = data[what];
        notice.textContent = payload.userErrors.length ? payload.userErrors[0].code + ': ' + payload.userErrors[0].message : what === 'importCancel' ? 'Cancel requested.' : 'Replay queued.';
      }, function (error) {
        notice.textContent = error.message;
      });
    }
    cancel.addEventListener('click', function () {
      act(CANCEL, 'importCancel');
    });
    replay.addEventListener('click', function () {
      act(REPLAY, 'importReplay');
    });
    report.addEventListener('click', function () {
      fetch('/imports/' + encodeURIComponent(id) + '/report.csv', { headers: { authorization: 'Bearer ' + key() } }).then(function (response) {
        if (!response.ok) {
          return response.json().then(function (body) {
            notice.textContent = (body.errors && body.errors[0] && body.errors[0].message) || 'The report could not be downloaded.';
          });
        }
        return response.blob().then(function (blob) {
          var link = el('a', { href: URL.createObjectURL(blob), download: 'import-report.csv' });
          document.body.appendChild(link);
          link.click();
          link.remove();
        });
      });
    });
  }

  // ---------------------------------------------------------------------------------------------

  function route() {
    var signOut = document.getElementById('sign-out');
    signOut.hidden = !key();
    signOut.onclick = function () {
      sessionStorage.removeItem(KEY_STORAGE);
      location.reload();
    };
    if (!key()) {
      signIn(route);
      return;
    }
    signOut.hidden = false;
    var match = /^\/imports\/([^/]+)$/.exec(location.pathname);
    if (match) job(decodeURIComponent(match[1]));
    else list();
  }

  route();
})();
