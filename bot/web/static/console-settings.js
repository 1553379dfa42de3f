// The console's settings editor: save the YAML (checked on the server first), revert an earlier edit.
(function () {
  'use strict';
  var csrf = function () { return (document.cookie.match(/(?:^|;\s*)store_csrf=([^;]+)/) || [])[1] || ''; };
  function post(url, body, out) {
    return fetch(url, {method: 'POST', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf()},
      body: JSON.stringify(body)}).then(function (r) {
      return r.json().then(function (b) {
        out.className = 'result ' + (r.ok ? 'ok' : 'bad');
        out.textContent = r.ok ? '已保存并生效（修改记录 #' + b.edit_id + '）' : b.error;
        if (r.ok) { setTimeout(function () { location.reload(); }, 800); }
      });
    });
  }
  var form = document.getElementById('settings-form');
  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      post(form.action, {text: form.text.value, base: form.base.value}, form.querySelector('.result'));
    });
  }
  document.querySelectorAll('button.revert').forEach(function (button) {
    button.addEventListener('click', function () {
      post('/api/console/settings/edits/' + button.dataset.edit + '/revert', {},
           button.parentNode.querySelector('.result'));
    });
  });
}());
