// Offer editor: the outline is a WAI-ARIA tree (roving tabindex; arrows, Home, End, Enter), the
// selected element fills the panel's forms, and elements move with Alt + arrows or drag and drop.
// Every change is an htmx POST answered with the outline as stored; this script only keeps the
// page's state (selection, collapsed branches, focus) across those swaps.
(function () {
  'use strict';
  var state = { selected: null, collapsed: new Set(), busy: false, queued: null, focusTree: false, focusAdd: false, outline: null, drag: null };

  var $ = function (sel, root) { return (root || document).querySelector(sel); };
  var $$ = function (sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); };
  var editor = function () { return document.getElementById('editor'); };
  var tree = function () { return document.getElementById('editor-tree'); };
  var items = function () { var t = tree(); return t ? $$('[role="treeitem"]', t) : []; };
  var itemOf = function (el) { return el && el.closest ? el.closest('#editor-tree [role="treeitem"]') : null; };
  var parentItem = function (li) { return li.parentElement.closest('[role="treeitem"]'); };
  var isItem = function (x) { return x.getAttribute('role') === 'treeitem'; };
  var siblings = function (li) { return Array.prototype.filter.call(li.parentElement.children, isItem); };
  var childItems = function (li) { var g = $(':scope > [role="group"]', li); return g ? Array.prototype.filter.call(g.children, isItem) : []; };
  var canEdit = function () { var e = editor(); return !!e && e.dataset.canEdit === '1'; };
  var token = function () { var m = $('meta[name="csrf-token"]'); return m ? m.getAttribute('content') : ''; };

  function shown(li) {
    for (var p = parentItem(li); p; p = parentItem(p)) if (p.getAttribute('aria-expanded') === 'false') return false;
    return true;
  }
  var visible = function () { return items().filter(shown); };

  function setExpanded(li, open) {
    if (!li || !li.hasAttribute('aria-expanded')) return;
    li.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) state.collapsed.delete(li.dataset.link); else state.collapsed.add(li.dataset.link);
  }

  // ---- selection and the panel -----------------------------------------------------------------

  function select(li, focus) {
    items().forEach(function (x) {
      x.setAttribute('tabindex', x === li ? '0' : '-1');
      x.setAttribute('aria-selected', x === li ? 'true' : 'false');
    });
    state.selected = li ? li.dataset.link : null;
    if (li) {
      for (var p = parentItem(li); p; p = parentItem(p)) setExpanded(p, true);
      if (focus) li.focus();
    }
    fillPanel(li);
  }

  function option(value, text, disabled) {
    var o = document.createElement('option');
    o.value = value;
    o.textContent = text;
    o.disabled = !!disabled;
    return o;
  }

  /** Rebuild a "under which element" select from the outline; `banned` holds element ids that may not be chosen. */
  function fillParents(select, value, banned) {
    if (!select) return;
    var e = editor();
    select.replaceChildren(option('', e ? e.dataset.topLabel : ''));
    items().forEach(function (li) {
      var depth = Number(li.getAttribute('aria-level')) - 1;
      select.appendChild(option(li.dataset.link, '\u00a0\u00a0'.repeat(depth) + li.dataset.code + ' — ' + li.dataset.title, banned && banned.has(li.dataset.element)));
    });
    select.value = value;
    if (select.value !== value) select.value = '';
  }

  function setInputs(root, name, value) {
    $$('input[name="' + name + '"]', root).forEach(function (i) { i.value = value; });
  }

  function clearErrors(form) {
    if (!form) return;
    $$('.field-error', form).forEach(function (p) { p.remove(); });
    $$('[aria-invalid]', form).forEach(function (i) {
      i.removeAttribute('aria-invalid');
      var ids = (i.getAttribute('aria-describedby') || '').split(' ').filter(function (id) { return id && !/-error$/.test(id); });
      if (ids.length) i.setAttribute('aria-describedby', ids.join(' ')); else i.removeAttribute('aria-describedby');
      i.closest('.editor-field').classList.remove('has-error');
    });
  }

  function fillPanel(li) {
    var panel = document.getElementById('editor-node');
    if (!panel) return;
    $('[data-editor-none]', panel).hidden = !!li;
    $('[data-editor-body]', panel).hidden = !li;
    var add = document.getElementById('editor-add-parent');
    if (add) fillParents(add, li ? li.dataset.link : '');
    if (!li) return;
    $('[data-fill="code"]', panel).textContent = li.dataset.code;
    $('[data-fill="title"]', panel).textContent = li.dataset.title;
    var meta = $(':scope > .node-row .node-meta', li);
    // the same server-rendered (escaped) badges as in the outline
    $('[data-fill="meta"]', panel).innerHTML = meta ? meta.innerHTML : '';
    if (!canEdit()) return;
    setInputs(panel, 'link', li.dataset.link);
    setInputs(panel, 'element', li.dataset.element);
    setInputs(panel, 'version', li.dataset.version);
    setInputs(panel, 'from', li.dataset.parentElement);
    setInputs(panel, 'open', li.dataset.open === '1' ? '0' : '1');
    var toggle = document.getElementById('editor-open-toggle');
    if (toggle) toggle.setAttribute('aria-pressed', li.dataset.open === '1' ? 'true' : 'false');
    var rename = document.getElementById('editor-rename');
    if (rename && !(rename.dataset.shownFor === li.dataset.link && $('[aria-invalid]', rename))) {
      clearErrors(rename);
      $('input[name="titleFr"]', rename).value = li.dataset.titleFr;
      $('input[name="titleEn"]', rename).value = li.dataset.titleEn;
    }
    if (rename) rename.dataset.shownFor = li.dataset.link;
    var remove = document.getElementById('editor-remove');
    if (remove) remove.dataset.confirm = editor().dataset.confirmRemove.split('{code}').join(li.dataset.code);
    // an element cannot go under itself or anything inside it
    var banned = new Set([li.dataset.element]);
    $$('[role="treeitem"]', li).forEach(function (x) { banned.add(x.dataset.element); });
    var parent = parentItem(li);
    fillParents(document.getElementById('editor-move-parent'), parent ? parent.dataset.link : '', banned);
  }

  // ---- after each swap ---------------------------------------------------------------------------

  /** Reconcile the page with the outline (after the first load, or after htmx swapped something). */
  function init(firstLoad) {
    var outline = document.getElementById('editor-outline');
    if (!outline) return;
    var fresh = outline !== state.outline;
    state.outline = outline;
    state.collapsed.forEach(function (id) {
      var li = document.getElementById('node-' + id);
      if (li && li.hasAttribute('aria-expanded')) li.setAttribute('aria-expanded', 'false');
      else state.collapsed.delete(id);
    });
    var wanted = fresh ? outline.dataset.selected : state.selected;
    var li = (wanted && document.getElementById('node-' + wanted)) || items()[0] || null;
    var active = document.activeElement;
    // the focus follows a change made from the outline, or one whose control the swap removed; never on load
    var focus = !firstLoad && (state.focusTree || (fresh && (!active || active === document.body || !active.isConnected)));
    select(li, focus && !!li);
    var add = document.getElementById('editor-add-parent');
    if (add && add.dataset.value !== undefined) {
      fillParents(add, add.dataset.value);
      delete add.dataset.value;
    }
    state.focusTree = false;
    if (state.focusAdd) {
      state.focusAdd = false;
      var code = document.getElementById('editor-add-code');
      if (code) code.focus();
    }
    // a form answered with its errors: the first one takes the focus
    var invalid = $('.editor-panel [aria-invalid="true"]');
    if (invalid && !fresh) invalid.focus();
    outline.dataset.synced = '1';
  }

  // ---- changes -------------------------------------------------------------------------------------

  function post(action, values, source) {
    if (state.busy) return;
    state.busy = true;
    state.focusTree = true;
    var done = function () {
      state.busy = false;
      // a move key pressed while the previous move was on its way applies to the outline as stored now
      var key = state.queued;
      state.queued = null;
      var li = itemOf(document.activeElement);
      if (key && li) keyMove(li, key);
    };
    htmx.ajax('POST', editor().dataset.base + '/' + action, {
      source: source, target: '#editor-outline', swap: 'outerHTML', values: values, headers: { 'X-CSRF-Token': token() },
    }).then(done, done);
  }

  /** Move `li` under `parent` (a tree item, or null for the top) at `position` (0-based among its new siblings). */
  function move(li, parent, position) {
    if (!canEdit() || !li) return;
    if (parent) setExpanded(parent, true);
    post('move', { link: li.dataset.link, parent: parent ? parent.dataset.link : '', position: String(position + 1), from: li.dataset.parentElement }, li);
  }

  function keyMove(li, key) {
    var sibs = siblings(li);
    var i = sibs.indexOf(li);
    var parent = parentItem(li);
    if (key === 'ArrowUp' && i > 0) move(li, parent, i - 1);
    else if (key === 'ArrowDown' && i < sibs.length - 1) move(li, parent, i + 1);
    else if (key === 'ArrowRight' && i > 0) move(li, sibs[i - 1], childItems(sibs[i - 1]).length);
    else if (key === 'ArrowLeft' && parent) move(li, parentItem(parent), siblings(parent).indexOf(parent) + 1);
  }

  function onKey(evt) {
    var li = evt.target;
    if (!li.matches || !li.matches('#editor-tree [role="treeitem"]')) return;
    var key = evt.key;
    if (evt.altKey && !evt.ctrlKey && !evt.metaKey) {
      if (!/^Arrow(Up|Down|Left|Right)$/.test(key)) return;
      evt.preventDefault();
      if (state.busy) state.queued = key; else keyMove(li, key);
      return;
    }
    if (evt.altKey || evt.ctrlKey || evt.metaKey) return;
    var list = visible();
    var at = list.indexOf(li);
    var expanded = li.getAttribute('aria-expanded');
    var go = null;
    if (key === 'ArrowDown') go = list[at + 1];
    else if (key === 'ArrowUp') go = list[at - 1];
    else if (key === 'Home') go = list[0];
    else if (key === 'End') go = list[list.length - 1];
    else if (key === 'ArrowRight') {
      if (expanded === 'false') setExpanded(li, true);
      else if (expanded === 'true') go = childItems(li)[0];
    } else if (key === 'ArrowLeft') {
      if (expanded === 'true') setExpanded(li, false);
      else go = parentItem(li);
    } else if (key === 'Enter') {
      if (expanded) setExpanded(li, expanded === 'false');
    } else if (key === '*') {
      siblings(li).forEach(function (s) { setExpanded(s, true); });
    } else if (key === 'F2' && canEdit()) {
      var title = document.getElementById('editor-title-fr');
      if (title) { title.focus(); title.select(); }
    } else if (key === 'Delete' && canEdit()) {
      var form = document.getElementById('editor-remove');
      if (form) {
        state.focusTree = true;
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
    } else return;
    evt.preventDefault();
    if (go) select(go, true);
  }

  // ---- mouse: select, expand, drag and drop --------------------------------------------------------

  function onClick(evt) {
    var btn = evt.target.closest && evt.target.closest('[data-editor-expand]');
    if (btn) {
      var open = btn.dataset.editorExpand === 'all';
      items().forEach(function (li) { setExpanded(li, open); });
      if (!open) {
        var sel = document.getElementById('node-' + state.selected);
        var top = sel;
        while (top && parentItem(top)) top = parentItem(top);
        if (top && top !== sel) select(top, false);
      }
      return;
    }
    var li = itemOf(evt.target);
    if (!li) return;
    if (evt.target.closest('.node-twisty')) setExpanded(li, li.getAttribute('aria-expanded') === 'false');
    select(li, true);
  }

  function zone(evt, row) {
    var r = row.getBoundingClientRect();
    var y = (evt.clientY - r.top) / r.height;
    return y < 0.3 ? 'before' : y > 0.7 ? 'after' : 'inside';
  }
  function clearDrop() {
    $$('.drop-before, .drop-after, .drop-inside').forEach(function (x) { x.classList.remove('drop-before', 'drop-after', 'drop-inside'); });
  }
  /** The row under the pointer, if the dragged element may be dropped there (not on itself or inside itself). */
  function dropRow(evt) {
    var row = evt.target.closest && evt.target.closest('#editor-tree .node-row');
    if (!row || !state.drag) return null;
    var li = itemOf(row);
    return li === state.drag || state.drag.contains(li) ? null : row;
  }

  document.addEventListener('dragstart', function (evt) {
    var row = evt.target.closest && evt.target.closest('#editor-tree .node-row[draggable="true"]');
    if (!row) return;
    state.drag = itemOf(row);
    evt.dataTransfer.effectAllowed = 'move';
    evt.dataTransfer.setData('text/plain', state.drag.dataset.code);
    state.drag.classList.add('is-dragging');
  });
  document.addEventListener('dragover', function (evt) {
    var row = dropRow(evt);
    if (!row) return;
    evt.preventDefault();
    evt.dataTransfer.dropEffect = 'move';
    clearDrop();
    row.classList.add('drop-' + zone(evt, row));
  });
  document.addEventListener('drop', function (evt) {
    var row = dropRow(evt);
    if (!row) return;
    evt.preventDefault();
    var where = zone(evt, row);
    var target = itemOf(row);
    var li = state.drag;
    clearDrop();
    if (where === 'inside') return move(li, target, childItems(target).filter(function (x) { return x !== li; }).length);
    var sibs = siblings(target).filter(function (x) { return x !== li; });
    var i = sibs.indexOf(target);
    move(li, parentItem(target), where === 'before' ? i : i + 1);
  });
  document.addEventListener('dragend', function () {
    if (state.drag) state.drag.classList.remove('is-dragging');
    state.drag = null;
    clearDrop();
  });

  document.addEventListener('keydown', onKey);
  document.addEventListener('click', onClick);
  document.addEventListener('htmx:before:request', function (evt) {
    var action = evt.detail && evt.detail.ctx && evt.detail.ctx.request && evt.detail.ctx.request.action;
    if (typeof action === 'string' && /\/editor\/add$/.test(action)) state.focusAdd = true;
  });
  document.addEventListener('htmx:after:swap', function (evt) {
    var ctx = evt.detail && evt.detail.ctx;
    // only a successful add resets its form and sends the focus back to it
    if (!ctx || !ctx.response || ctx.response.status !== 200) state.focusAdd = false;
    init(false);
  });
  // a Delete pressed in the outline and then cancelled leaves the focus where it was
  document.addEventListener('close', function (evt) {
    if (evt.target && evt.target.id === 'smile-confirm' && evt.target.returnValue !== 'ok') state.focusTree = false;
  }, true);
  var first = function () { init(true); };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', first); else first();
})();
