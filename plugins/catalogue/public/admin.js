// Catalogue back office: "select all on this page" for the bulk actions, the count of selected
// elements, and the list address the bulk form returns to.
(function () {
  'use strict';
  document.documentElement.classList.add('catalogue-js');
  var boxes = function () {
    return Array.prototype.slice.call(document.querySelectorAll('input[type="checkbox"][name="ids"][form="catalogue-bulk"]'));
  };
  var refresh = function () {
    var all = boxes();
    var checked = all.filter(function (b) { return b.checked; }).length;
    document.querySelectorAll('[data-select-all]').forEach(function (s) {
      s.checked = all.length > 0 && checked === all.length;
      s.indeterminate = checked > 0 && checked < all.length;
    });
    var count = document.getElementById('catalogue-bulk-count');
    if (count) {
      var text = checked === 0 ? count.dataset.none : checked === 1 ? count.dataset.one : (count.dataset.many || '').replace('{n}', String(checked));
      if (count.textContent !== text) count.textContent = text || '';
    }
  };
  document.addEventListener('change', function (evt) {
    var el = evt.target;
    if (!(el instanceof HTMLInputElement || el instanceof HTMLSelectElement)) return;
    if (el.matches('[data-select-all]')) {
      boxes().forEach(function (b) { b.checked = el.checked; });
      refresh();
    } else if (el.matches('input[name="ids"]')) {
      refresh();
    }
  });
  // the list's address changes as one searches and pages (htmx): come back to where one was
  document.addEventListener('submit', function (evt) {
    var form = evt.target;
    if (!(form instanceof HTMLFormElement) || form.id !== 'catalogue-bulk') return;
    var back = form.querySelector('[data-return]');
    if (back) back.value = location.pathname + location.search;
  }, true);
  ['htmx:after:swap', 'htmx:afterSwap'].forEach(function (name) { document.addEventListener(name, refresh); });
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', refresh); else refresh();
})();
