// The console's import page: send the chosen file for a dry run (预览) or to apply it (导入), show the report.
(function () {
  'use strict';
  var csrf = function () { return (document.cookie.match(/(?:^|;\s*)store_csrf=([^;]+)/) || [])[1] || ''; };
  function cell(row, text) { var td = document.createElement('td'); td.textContent = text; row.appendChild(td); }
  function show(form, status, report) {
    var out = form.querySelector('.report');
    out.innerHTML = '';
    var summary = document.createElement('p');
    if (status !== 200) {
      summary.className = 'bad';
      summary.textContent = report.error || ('导入失败（' + status + '）');
      out.appendChild(summary);
      return;
    }
    summary.className = report.rejected_count ? 'bad' : 'ok';
    summary.textContent = (report.applied ? '已导入：' : '预览（尚未写入）：') + '共 ' + report.rows + ' 行，可导入 ' +
      report.accepted + '（新增 ' + report.new + '，更新 ' + report.updated + '），拒绝 ' + report.rejected_count +
      ' 行，用时 ' + report.seconds + ' 秒。';
    summary.dataset.rejected = report.rejected_count;
    out.appendChild(summary);
    (report.notes || []).forEach(function (note) {
      var p = document.createElement('p'); p.className = 'ok'; p.textContent = note; out.appendChild(p);
    });
    if (report.rejected.length) {
      var table = document.createElement('table');
      table.className = 'rejected';
      var head = document.createElement('tr'); cell(head, '行号'); cell(head, '原因'); table.appendChild(head);
      report.rejected.forEach(function (r) { var tr = document.createElement('tr'); cell(tr, r.row); cell(tr, r.reason);
        table.appendChild(tr); });
      out.appendChild(table);
    }
  }
  document.querySelectorAll('form.import').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var file = form.file.files[0];
      if (!file) { return; }
      var apply = event.submitter && event.submitter.value === 'apply' ? 1 : 0;
      var url = '/api/console/imports/' + form.dataset.kind + '?apply=' + apply + '&filename=' +
        encodeURIComponent(file.name);
      form.querySelector('.report').textContent = '正在处理…';
      fetch(url, {method: 'POST', headers: {'Content-Type': 'application/octet-stream', 'X-CSRF-Token': csrf()},
        body: file}).then(function (r) { return r.json().then(function (b) { show(form, r.status, b); }); });
    });
  });
  var demo = document.getElementById('remove-demo');
  if (demo) {
    demo.addEventListener('click', function () {
      if (!window.confirm('确定移除演示店铺的商品和订单吗？此操作不能撤销。')) { return; }
      fetch('/api/console/demo/remove', {method: 'POST', headers: {'Content-Type': 'application/json',
        'X-CSRF-Token': csrf()}, body: JSON.stringify({confirm: 'remove-demo-data'})})
        .then(function (r) { return r.json(); })
        .then(function (b) { document.getElementById('demo-state').textContent = b.message || b.error; });
    });
  }
  var train = document.getElementById('start-training');
  if (train) {
    train.addEventListener('click', function () {
      fetch('/api/console/training', {method: 'POST', headers: {'Content-Type': 'application/json',
        'X-CSRF-Token': csrf()}, body: JSON.stringify({confirm: 'train'})})
        .then(function (r) { return r.json(); })
        .then(function (b) { document.getElementById('training-state').textContent = b.message; });
    });
  }
}());
