// The public catalogue's search page. Everything works without this script; it only opens the
// filters on screens wide enough to show them beside the search (on a phone they stay folded).
(function () {
  'use strict';
  var filters = document.getElementById('catalogue-filters');
  if (filters && window.matchMedia && window.matchMedia('(min-width: 48rem)').matches) filters.open = true;
})();
