// SMILE page behaviour: CSRF header on htmx requests, confirmation dialogs, loading indicator.
(function () {
  'use strict';
  var token = function () {
    var m = document.querySelector('meta[name="csrf-token"]');
    return m ? m.getAttribute('content') : '';
  };
  // htmx 4: every request it sends carries the page's CSRF token
  document.addEventListener('htmx:config:request', function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    if (ctx && ctx.request && ctx.request.headers) ctx.request.headers['X-CSRF-Token'] = token();
  });
  document.addEventListener('htmx:before:request', function () {
    document.documentElement.classList.add('is-loading');
  });
  document.addEventListener('htmx:after:request', function () {
    document.documentElement.classList.remove('is-loading');
  });
  // the language links keep the page's query (a filtered list stays filtered): when htmx changes
  // the URL without a page load, they follow it, as the server would have written them
  var syncLanguageLinks = function () {
    document.querySelectorAll('.langs a[hreflang]').forEach(function (a) {
      var q = new URLSearchParams(location.search);
      q.set('lang', a.getAttribute('hreflang'));
      a.setAttribute('href', location.pathname + '?' + q.toString());
    });
  };
  document.addEventListener('htmx:after:history:push', syncLanguageLinks);
  document.addEventListener('htmx:after:history:replace', syncLanguageLinks);
  // <form data-confirm="…">: ask in an accessible dialog before a destructive action
  document.addEventListener('submit', function (evt) {
    var form = evt.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.confirm || form.dataset.confirmed === '1') return;
    var dialog = document.getElementById('smile-confirm');
    if (!dialog || typeof dialog.showModal !== 'function') {
      if (!window.confirm(form.dataset.confirm)) evt.preventDefault();
      return;
    }
    evt.preventDefault();
    evt.stopImmediatePropagation();
    document.getElementById('smile-confirm-text').textContent = form.dataset.confirm;
    dialog.returnValue = '';
    dialog.showModal();
    dialog.addEventListener('close', function onClose() {
      dialog.removeEventListener('close', onClose);
      if (dialog.returnValue === 'ok') {
        form.dataset.confirmed = '1';
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
        delete form.dataset.confirmed;
      }
    });
  }, true);
})();
