/*
 * The one hand-written script. It runs after htmx has loaded and before htmx processes the page:
 *  1. stores the browser's time zone in the `tz` cookie (unless the person pinned one), so the first
 *     request htmx makes and the WebSocket upgrade both carry it;
 *  2. says "Reconnecting…" while the live socket is down (or "Not live" when it closed for good);
 *  3. keeps keyboard focus on the page when a live push replaces or removes the focused element;
 *  4. copies share links to the clipboard;
 *  5. opens pop-ups (<dialog data-popup>) one at a time with showModal(); Escape means "later" on an
 *     invite and dismisses a notice (as its OK does);
 *  6. lets the arrow keys move through the rooms grid (one cell in the tab order at a time), marks
 *     the chosen cell and brings focus back to it after an action from its panel;
 *  7. backs off between reconnects when the server keeps closing the socket right after opening it;
 *  8. makes a pushed insert idempotent: an element already on the page is replaced, not doubled;
 *  9. keeps a <details> as the person left it when a swap replaces it with a fresh copy;
 * 10. gives the booking page's month calendar the date-picker keys (arrows, Home/End, Page Up/Down);
 * 11. tells an open booking form, live, that its time was just taken (keeping what was typed), and
 *     keeps other announcements from interrupting someone who is filling it in;
 * 12. keeps the manage link (shown once) in the booking card when a push re-sends the card, and lets
 *     "Keep it" close an in-place confirmation.
 */
(function () {
  'use strict';

  // Ids and cookie names come from the page (data attributes on <body>, from views/ids.ts).
  var page = document.body.dataset;

  function readCookie(name) {
    var parts = document.cookie ? document.cookie.split('; ') : [];
    for (var i = 0; i < parts.length; i++) {
      var eq = parts[i].indexOf('=');
      if (parts[i].slice(0, eq) === name) return decodeURIComponent(parts[i].slice(eq + 1));
    }
    return null;
  }

  // 1. Time zone. The server maps legacy ids (Asia/Calcutta) to current ones.
  var zone = null;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (_) {
    zone = null;
  }
  if (zone && readCookie(page.zonePinnedCookie) !== '1' && readCookie(page.zoneCookie) !== zone) {
    document.cookie =
      page.zoneCookie +
      '=' +
      encodeURIComponent(zone) +
      '; Path=/; Max-Age=31536000; SameSite=Lax' +
      (location.protocol === 'https:' ? '; Secure' : '');
  }

  // 2. Connection status.
  function setStatus(text, state) {
    var status = document.getElementById(page.liveStatusId);
    if (!status) return;
    status.textContent = text;
    status.className = 'live-status live-status--' + state;
  }
  var leaving = false;
  window.addEventListener('pagehide', function () {
    leaving = true;
  });
  // htmx-ext-ws reconnects only after these codes; any other close is for good (a replaced
  // dashboard link gets 1008), and the server has already said why.
  var RECONNECTING = [1006, 1011, 1012, 1013];
  document.addEventListener('htmx:wsClose', function (event) {
    if (leaving) return;
    var code = event.detail && event.detail.event ? event.detail.event.code : 1006;
    if (RECONNECTING.indexOf(code) >= 0) setStatus('Reconnecting…', 'reconnecting');
    else setStatus('Not live', 'ended');
  });
  document.addEventListener('htmx:wsError', function () {
    if (!leaving) setStatus('Reconnecting…', 'reconnecting');
  });

  // 7. Reconnect back-off. htmx-ext-ws waits up to 1 s, 2 s, 4 s… (random) between tries, but starts
  // over whenever a socket opens. A server that is full for this address, or shedding a reader too
  // far behind, opens the socket and closes it at once (1013 "try again later"): counting those
  // short-lived sockets keeps the waits growing (to 64 s) instead of a try every half second.
  var openedAt = 0;
  var shortLived = 0;
  document.addEventListener('htmx:wsOpen', function () {
    openedAt = Date.now();
  });
  htmx.config.wsReconnectDelay = function (retryCount) {
    shortLived = openedAt && Date.now() - openedAt < 10000 ? shortLived + 1 : 0;
    return 1000 * Math.pow(2, Math.min(retryCount + shortLived, 6)) * Math.random();
  };

  // 8. A push inserts a new day next to its neighbour. If the page already has it (the answer to the
  // person's own request got there first, or the push came twice), replace it instead of adding a
  // second copy with the same id.
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var detail = event.detail;
    var fragment = detail && detail.fragment;
    if (!fragment || fragment.childElementCount !== 1) return;
    var incoming = fragment.firstElementChild;
    var existing = incoming.id ? document.getElementById(incoming.id) : null;
    if (!existing || existing === detail.target) return;
    detail.shouldSwap = false;
    if (existing.id && incoming.tagName === 'DETAILS')
      incoming.open = openAfterSwap(existing.id, existing.open, incoming.open);
    existing.replaceWith(incoming);
    htmx.process(incoming);
  });

  // 9. A <details> the person opened or closed stays so when a swap replaces it, or what holds it, with
  // a fresh copy (a pushed list, the answer to a filter); one they left alone may be opened by the
  // copy (a week the host just added to) but is not closed by it. Main and out-of-band swaps are
  // remembered apart: the out-of-band ones happen inside the main one.
  var chosen = {};
  document.addEventListener('click', function (event) {
    var summary = event.target instanceof Element ? event.target.closest('summary') : null;
    var details = summary && summary.parentElement;
    if (details && details.tagName === 'DETAILS' && details.id) chosen[details.id] = !details.open;
  });
  function openAfterSwap(id, before, incoming) {
    return Object.hasOwn(chosen, id) ? chosen[id] : before || incoming;
  }
  var openBefore = { main: null, oob: null };
  function rememberOpen(kind) {
    return function (event) {
      var target = event.detail && event.detail.target;
      if (!target || !target.querySelectorAll) return;
      var states = {};
      var all = target.querySelectorAll('details[id]');
      for (var i = 0; i < all.length; i++) states[all[i].id] = all[i].open;
      if (target.matches('details[id]')) states[target.id] = target.open;
      openBefore[kind] = states;
    };
  }
  function restoreOpen(kind) {
    return function () {
      var states = openBefore[kind];
      openBefore[kind] = null;
      for (var id in states) {
        var details = document.getElementById(id);
        if (!details || details.tagName !== 'DETAILS') continue;
        var open = openAfterSwap(id, states[id], details.open);
        if (details.open !== open) details.open = open;
      }
    };
  }
  document.addEventListener('htmx:beforeSwap', rememberOpen('main'));
  document.addEventListener('htmx:afterSwap', restoreOpen('main'));
  document.addEventListener('htmx:oobBeforeSwap', rememberOpen('oob'));
  document.addEventListener('htmx:oobAfterSwap', restoreOpen('oob'));

  // 3. Focus across live pushes: htmx swaps pushed fragments out of band, which drops focus to the
  // body if it was inside one. Remember the ids of the focused element and its ancestors; after the
  // swap, the nearest one still on the page decides: the same element again if it can take focus,
  // else a list item, else what its data-focus-fallback names (an id; empty: itself), else the
  // next ancestor out.
  var trail = null;
  document.addEventListener('htmx:wsBeforeMessage', function () {
    var active = document.activeElement;
    trail = null;
    if (!active || active === document.body) return;
    trail = { elt: active, ids: [] };
    for (var node = active; node && node !== document.body; node = node.parentElement) {
      if (node.id) trail.ids.push(node.id);
    }
  });
  function focusOn(elt) {
    if (elt.tabIndex < 0 && !elt.hasAttribute('tabindex')) elt.setAttribute('tabindex', '-1');
    elt.focus({ preventScroll: true });
  }
  document.addEventListener('htmx:wsAfterMessage', function () {
    var was = trail;
    trail = null;
    var active = document.activeElement;
    if (!was || (document.contains(was.elt) && active === was.elt) || (active && active !== document.body)) return;
    for (var i = 0; i < was.ids.length; i++) {
      var elt = document.getElementById(was.ids[i]);
      if (!elt) continue;
      if (elt.id === was.elt.id && !elt.disabled && elt.tabIndex >= 0) return elt.focus({ preventScroll: true });
      if (elt.matches('li')) return focusOn(elt);
      var fallback = elt.getAttribute('data-focus-fallback');
      var target = fallback === null ? null : fallback ? document.getElementById(fallback) : elt;
      if (target) return focusOn(target);
    }
  });

  // 4. Copy buttons: <button data-copy="input-id">.
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
    if (!button) return;
    var input = document.getElementById(button.getAttribute('data-copy'));
    if (!input) return;
    var done = function () {
      var label = button.textContent;
      button.textContent = 'Copied';
      var announcer = document.getElementById(page.announcerId);
      if (announcer) announcer.textContent = 'Link copied to the clipboard.';
      setTimeout(function () {
        button.textContent = label;
      }, 2000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        input.select();
      });
    } else {
      input.select();
      try {
        if (document.execCommand('copy')) done();
      } catch (_) {
        /* the text stays selected for the person to copy */
      }
    }
  });

  // 5. Pop-ups. Invites and notices arrive in #popups (page load or live push); answers to a
  // decision arrive in #popup-results. One is open at a time; the next opens when it closes.
  var later = {}; // ids the person put off with Escape, for this page view
  var returnFocus = null;
  function openNextPopup() {
    if (document.querySelector('dialog[data-popup][open]')) return;
    var candidates = document.querySelectorAll('dialog[data-popup]:not([open])');
    for (var i = 0; i < candidates.length; i++) {
      var dialog = candidates[i];
      if (later[dialog.id] || dialog.getAttribute('data-done') === 'true') continue;
      if (!returnFocus) returnFocus = document.activeElement;
      dialog.showModal();
      return;
    }
    if (returnFocus && document.contains(returnFocus) && returnFocus.focus) returnFocus.focus();
    returnFocus = null;
  }
  // Escape on an invite means "decide later" (for this page view; it stays under Invites). On a
  // notice there is nothing to decide: Escape dismisses it for good, as its OK does.
  document.addEventListener(
    'cancel',
    function (event) {
      var dialog = event.target;
      if (!(dialog instanceof HTMLDialogElement) || !dialog.hasAttribute('data-popup')) return;
      var dismiss =
        dialog.getAttribute('data-popup') === 'notice' && dialog.querySelector('[hx-post][data-closes-dialog]');
      if (dismiss) {
        dialog.setAttribute('data-done', 'true');
        dismiss.click();
      } else later[dialog.id] = true;
    },
    true,
  );
  document.addEventListener(
    'close',
    function (event) {
      var dialog = event.target;
      if (!(dialog instanceof HTMLDialogElement) || !dialog.hasAttribute('data-popup')) return;
      // Answers are shown once; invites and notices stay until the server drops them.
      if (dialog.getAttribute('data-popup') === 'result') dialog.remove();
      setTimeout(openNextPopup, 0);
    },
    true,
  );
  // Buttons that settle a pop-up close it: right away for plain ones, once the answer is in for
  // htmx ones (the answer opens as a pop-up of its own).
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-closes-dialog]') : null;
    if (!button || button.hasAttribute('hx-post')) return;
    var dialog = button.closest('dialog');
    if (dialog) dialog.close();
  });
  document.addEventListener('htmx:afterRequest', function (event) {
    var elt = event.detail && event.detail.elt;
    if (!elt || !elt.hasAttribute || !elt.hasAttribute('data-closes-dialog')) return;
    var dialog = elt.closest('dialog');
    if (dialog) {
      dialog.setAttribute('data-done', 'true');
      dialog.close();
    }
  });
  document.addEventListener('htmx:afterSettle', openNextPopup);
  document.addEventListener('htmx:oobAfterSwap', function () {
    setTimeout(openNextPopup, 0);
  });
  document.addEventListener('DOMContentLoaded', openNextPopup);

  // 6. The grid (WAI-ARIA APG grid): Tab enters it at one cell; arrows, Home and End move (a row's
  // room link counts as its first cell); Enter or Space chooses (the cells are buttons). The chosen
  // cell is marked (aria-current) while its panel shows, whatever pushes replace it, and focus goes
  // back to it when the panel reports what an action did (data-return-focus).
  function cellsOf(grid) {
    return Array.prototype.map.call(grid.querySelectorAll('tbody tr'), function (row) {
      return Array.prototype.slice.call(row.querySelectorAll('th a, [data-cell]'));
    });
  }
  var activeCellId = null;
  var chosenCellId = null;
  function rovingTabindex() {
    var grid = document.querySelector('[data-grid]');
    if (!grid) return;
    var all = grid.querySelectorAll('tbody th a, [data-cell]');
    var active = activeCellId && document.getElementById(activeCellId);
    if (!active || !grid.contains(active)) active = grid.querySelector('[aria-current="true"][data-cell]');
    if (!active) active = grid.querySelector('.cell--open[data-cell], [data-cell]');
    for (var i = 0; i < all.length; i++) all[i].setAttribute('tabindex', all[i] === active ? '0' : '-1');
  }
  function markChosen() {
    var grid = document.querySelector('[data-grid]');
    if (!grid) return;
    var marked = grid.querySelectorAll('[data-cell][aria-current]');
    for (var i = 0; i < marked.length; i++)
      if (marked[i].id !== chosenCellId) marked[i].removeAttribute('aria-current');
    var chosen = chosenCellId && document.getElementById(chosenCellId);
    if (chosen) chosen.setAttribute('aria-current', 'true');
  }
  var initial = document.querySelector('[data-grid] [data-cell][aria-current="true"]');
  if (initial) chosenCellId = initial.id;
  document.addEventListener('click', function (event) {
    var cell = event.target instanceof Element ? event.target.closest('[data-cell]') : null;
    if (!cell) return;
    chosenCellId = cell.id;
    activeCellId = cell.id;
    markChosen();
  });
  document.addEventListener('focusin', function (event) {
    var cell = event.target instanceof Element ? event.target.closest('[data-grid] tbody th a, [data-cell]') : null;
    if (cell && cell.id) activeCellId = cell.id;
    if (cell) {
      var grid = cell.closest('[data-grid]');
      var all = grid.querySelectorAll('tbody th a, [data-cell]');
      for (var i = 0; i < all.length; i++) all[i].setAttribute('tabindex', all[i] === cell ? '0' : '-1');
    }
  });
  document.addEventListener('keydown', function (event) {
    var cell = event.target instanceof Element ? event.target.closest('[data-grid] tbody th a, [data-cell]') : null;
    if (!cell) return;
    var grid = cell.closest('[data-grid]');
    var rows = cellsOf(grid);
    var r = -1;
    var c = -1;
    for (var i = 0; i < rows.length && r < 0; i++) {
      var at = rows[i].indexOf(cell);
      if (at >= 0) {
        r = i;
        c = at;
      }
    }
    if (r < 0) return;
    var next = null;
    if (event.key === 'ArrowRight') next = rows[r][c + 1];
    else if (event.key === 'ArrowLeft') next = rows[r][c - 1];
    else if (event.key === 'ArrowDown') next = rows[r + 1] && rows[r + 1][c];
    else if (event.key === 'ArrowUp') next = rows[r - 1] && rows[r - 1][c];
    else if (event.key === 'Home') next = event.ctrlKey ? rows[0][0] : rows[r][0];
    else if (event.key === 'End')
      next = event.ctrlKey ? rows[rows.length - 1].slice(-1)[0] : rows[r][rows[r].length - 1];
    else return;
    event.preventDefault();
    if (next) next.focus();
  });
  document.addEventListener('htmx:afterSettle', function (event) {
    var target = event.detail && event.detail.target;
    var outcome = target && target.querySelector && target.querySelector('[data-return-focus]');
    var chosen = outcome && chosenCellId && document.getElementById(chosenCellId);
    if (chosen) {
      activeCellId = chosen.id;
      chosen.focus();
    }
  });
  function afterGridSwap() {
    markChosen();
    rovingTabindex();
  }
  document.addEventListener('DOMContentLoaded', afterGridSwap);
  document.addEventListener('htmx:afterSettle', afterGridSwap);
  document.addEventListener('htmx:oobAfterSwap', afterGridSwap);

  // 10. The month calendar (WAI-ARIA APG date picker grid): one date in the tab order; arrows move a
  // day or a week, Home/End to the week's ends, Page Up/Down a month. Moving past the month loads
  // the next (or previous) one on that date. Enter follows the date's link; Space too.
  function shiftDate(date, days, months) {
    var parts = date.split('-');
    var d = new Date(Date.UTC(+parts[0], +parts[1] - 1 + (months || 0), 1));
    var last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    d.setUTCDate(Math.min(+parts[2], last) + (days || 0));
    return d.toISOString().slice(0, 10);
  }
  var focusDateAfterSwap = null;
  document.addEventListener('keydown', function (event) {
    var cell = event.target instanceof Element ? event.target.closest('[data-date]') : null;
    var grid = cell && cell.closest('[data-calendar]');
    if (!grid) return;
    var date = cell.getAttribute('data-date');
    var weekday = (new Date(date + 'T00:00:00Z').getUTCDay() + 6) % 7; // Monday 0
    var target = null;
    if (event.key === 'ArrowRight') target = shiftDate(date, 1);
    else if (event.key === 'ArrowLeft') target = shiftDate(date, -1);
    else if (event.key === 'ArrowDown') target = shiftDate(date, 7);
    else if (event.key === 'ArrowUp') target = shiftDate(date, -7);
    else if (event.key === 'Home') target = shiftDate(date, -weekday);
    else if (event.key === 'End') target = shiftDate(date, 6 - weekday);
    else if (event.key === 'PageDown') target = shiftDate(date, 0, 1);
    else if (event.key === 'PageUp') target = shiftDate(date, 0, -1);
    else if (event.key === ' ' && cell.tagName === 'A') {
      event.preventDefault();
      cell.click();
      return;
    } else return;
    event.preventDefault();
    var next = grid.querySelector('[data-date="' + target + '"]');
    if (next) {
      cell.setAttribute('tabindex', '-1');
      next.setAttribute('tabindex', '0');
      next.focus();
    } else if (target.slice(0, 7) >= grid.getAttribute('data-first-month')) {
      focusDateAfterSwap = target;
      var view = document.getElementById(grid.getAttribute('data-view-id'));
      htmx.ajax('GET', grid.getAttribute('data-calendar') + '?day=' + target, { target: view, swap: 'outerHTML' });
    }
  });
  document.addEventListener('htmx:afterSettle', function () {
    if (!focusDateAfterSwap) return;
    var cell = document.querySelector('[data-calendar] [data-date="' + focusDateAfterSwap + '"]');
    focusDateAfterSwap = null;
    if (cell) cell.focus();
  });

  // 11. An open booking form and the live list: when the slot it books stops being open, the form
  // says so (its notice, hidden till now, is an alert) and its button is disabled; the name and
  // email stay as typed. While someone is in the form, other announcements wait.
  function checkBookingForm() {
    var form = document.querySelector('form[data-booking-slot]');
    if (!form) return;
    var item = document.getElementById(form.getAttribute('data-slot-item'));
    var state = item && item.getAttribute('data-state');
    if (!state || state === 'open' || state === 'mine') return;
    var notice = form.querySelector('[data-taken-notice]');
    if (notice && notice.hidden) notice.hidden = false;
    var buttons = form.querySelectorAll('button[type="submit"]');
    for (var i = 0; i < buttons.length; i++) buttons[i].disabled = true;
  }
  document.addEventListener('htmx:wsAfterMessage', checkBookingForm);
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var detail = event.detail;
    if (!detail || !detail.target || detail.target.id !== page.announcerId) return;
    var active = document.activeElement;
    if (active && active.closest && active.closest('form[data-booking-slot]')) detail.shouldSwap = false;
  });

  // 12. The booking card. A push re-sends it without the manage link, which only the answer to the
  // booking carries: while the card is for the same booking, the link moves into the new card. While
  // it shows the same time, the heading keeps what the answer said ("You are booked").
  document.addEventListener('htmx:oobBeforeSwap', function (event) {
    var detail = event.detail;
    var target = detail && detail.target;
    var incoming = detail && detail.fragment && detail.fragment.firstElementChild;
    if (!target || !incoming || target.id !== incoming.id) return;
    var version = target.getAttribute('data-booking-version');
    // The same booking at the same time while its owner is in the card (Release opened, focus in it):
    // nothing they would see changes, so the card is left alone rather than pulled from under them.
    var busy = target.querySelector('details[open]') || target.contains(document.activeElement);
    if (version && version === incoming.getAttribute('data-booking-version') && busy) {
      detail.shouldSwap = false;
      return;
    }
    var heading = target.querySelector('[data-keep-text]');
    var newHeading = incoming.querySelector('[data-keep-text]');
    if (version && version === incoming.getAttribute('data-booking-version') && heading && newHeading)
      newHeading.textContent = heading.textContent;
    var kept = target.querySelector('[data-keep-slot]');
    var place = incoming.querySelector('[data-keep-slot]');
    if (!kept || !place || !kept.firstElementChild || place.firstElementChild) return;
    if (target.getAttribute('data-booking') !== incoming.getAttribute('data-booking')) return;
    while (kept.firstChild) place.appendChild(kept.firstChild);
  });
  document.addEventListener('click', function (event) {
    var button = event.target instanceof Element ? event.target.closest('[data-close-details]') : null;
    var details = button && button.closest('details');
    if (!details) return;
    details.open = false;
    var summary = details.querySelector('summary');
    if (summary) summary.focus();
  });
})();
