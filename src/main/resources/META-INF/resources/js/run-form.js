// Tells the node count to refresh (hx-trigger="run-form-changed") when the selection or arguments change.
// htmx could filter these events itself, but its trigger filters are evaluated code, which the CSP forbids.
(function () {
  'use strict';
  var form = document.getElementById('run-form');
  if (!form) {
    return;
  }
  var pending = null;
  function changed() {
    form.dispatchEvent(new CustomEvent('run-form-changed'));
  }
  form.addEventListener('change', function (event) {
    // Ticking the confirmation must not re-issue it: that would swap the box out from under the click.
    if (event.target.name !== 'confirm') {
      changed();
    }
  });
  form.addEventListener('input', function (event) {
    if (event.target.type === 'text') {
      clearTimeout(pending);
      pending = setTimeout(changed, 400);
    }
  });
}());
