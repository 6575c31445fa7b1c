// Sends the page's CSRF token with every htmx request (forms also carry it as a field). The token comes from
// the csrf-token meta tag, so no inline script is needed and the Content-Security-Policy can forbid them.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="csrf-token"]');
  if (!meta) {
    return;
  }
  document.addEventListener('htmx:configRequest', function (event) {
    event.detail.headers[meta.dataset.header || 'X-CSRF-Token'] = meta.content;
  });
}());
