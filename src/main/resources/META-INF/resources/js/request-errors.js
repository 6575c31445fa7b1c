// htmx leaves the page as it was when a request fails (an error status is not swapped in), so without this an
// operator who uploads a file too large, or meets a server error, sees nothing happen. Every failed htmx request
// shows a message box; the server's own words where it sent some, else what the status means. Text only: the
// answer is read as text, never inserted as markup.
(function () {
  'use strict';
  var MEANINGS = {
    400: 'The controller refused the request.',
    401: 'Your session has ended: log in again (reload the page).',
    403: 'You are not allowed to do this, or the page is too old: reload it.',
    404: 'Not found: it may have been removed. Reload the page.',
    409: 'Something changed meanwhile: reload the page and try again.',
    413: 'The request is too large for the controller (413): send a smaller file.',
    429: 'Too many requests: wait a moment and try again.',
    500: 'The controller failed to handle the request; its log has the details.',
    503: 'The controller is not ready: try again in a moment.'
  };

  function serverWords(xhr) {
    var type = (xhr.getResponseHeader('Content-Type') || '').toLowerCase();
    var body = xhr.responseText || '';
    try {
      if (type.indexOf('json') >= 0) {
        var problem = JSON.parse(body);
        return [problem.title, problem.detail].filter(Boolean).join(': ');
      }
      if (type.indexOf('html') >= 0) {
        var doc = new DOMParser().parseFromString(body, 'text/html');
        var part = doc.querySelector('.errors') || doc.querySelector('main');
        return part ? part.textContent.replace(/\s+/g, ' ').trim() : '';
      }
    } catch (e) {
      return '';
    }
    return '';
  }

  function show(text) {
    var box = document.getElementById('request-error');
    if (!box) {
      box = document.createElement('div');
      box.id = 'request-error';
      box.setAttribute('role', 'alert');
      var message = document.createElement('span');
      message.className = 'message';
      var close = document.createElement('button');
      close.type = 'button';
      close.textContent = '×';
      close.setAttribute('aria-label', 'Dismiss');
      close.addEventListener('click', function () { box.remove(); });
      box.append(message, close);
      document.body.appendChild(box);
    }
    box.querySelector('.message').textContent = text;
  }

  document.addEventListener('htmx:responseError', function (event) {
    var xhr = event.detail.xhr;
    var words = serverWords(xhr).slice(0, 400);
    var meaning = MEANINGS[xhr.status] || ('The controller answered ' + xhr.status + '.');
    show(!words ? meaning : words.indexOf('(' + xhr.status + ')') >= 0 ? words : words + ' (' + xhr.status + ')');
  });
  document.addEventListener('htmx:sendError', function () {
    show('The controller did not answer: is it running? Nothing was changed by this request.');
  });
  // A later request that works clears an old message.
  document.addEventListener('htmx:afterSwap', function () {
    var box = document.getElementById('request-error');
    if (box) {
      box.remove();
    }
  });
}());
