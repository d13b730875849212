/*
 * app.js — Patchbay's page behaviour: toasts, modals, copy buttons, confirmations, menus,
 * key/value rows and tab state.
 *
 * It talks to the request layer only through htmx's documented events (htmx:load,
 * htmx:beforeSwap, htmx:responseError, ...), so it works the same over hx.js or the real htmx.
 */
(function () {
  'use strict';

  const LEVELS = ['info', 'success', 'error'];
  const MAX_TOASTS = 4;

  // ---------------------------------------------------------------------------------------------
  // Toasts. Markup matches Templates/partials/toast.mustache; CSS fades them after a few seconds
  // (so server-rendered ones fade without JavaScript too) and we drop them once faded.

  function showToast(message, level) {
    const region = document.getElementById('toasts');
    if (!region || !message) return;
    const kind = LEVELS.includes(level) ? level : 'info';
    const toast = document.createElement('div');
    toast.className = `toast toast-${kind}`;
    toast.setAttribute('role', kind === 'error' ? 'alert' : 'status');
    const text = document.createElement('p');
    text.className = 'toast-message';
    text.textContent = String(message);
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'toast-close';
    close.setAttribute('data-toast-close', '');
    close.setAttribute('aria-label', 'Dismiss notification');
    close.textContent = '×';
    toast.append(text, close);
    region.append(toast);
    const toasts = region.querySelectorAll('.toast');
    for (let i = 0; i < toasts.length - MAX_TOASTS; i++) toasts[i].remove();
  }

  function dismissToast(toast) {
    toast.classList.add('is-leaving');
    // Without animations (reduced motion or none ran) animationend may never come.
    setTimeout(() => toast.remove(), 400);
  }

  document.addEventListener('animationend', (event) => {
    const toast = event.target;
    if (!toast.classList || !toast.classList.contains('toast')) return;
    if (event.animationName === 'toast-out' || event.animationName === 'toast-leave') toast.remove();
  });

  document.addEventListener('showToast', (event) => {
    const detail = event.detail || {};
    showToast(detail.message || detail.value, detail.level);
  });

  /** The message an error response carries: JSON {error: {message}} or [data-error-message]. */
  function responseMessage(xhr) {
    const type = xhr.getResponseHeader('Content-Type') || '';
    const text = xhr.responseText || '';
    try {
      if (type.includes('json')) {
        const body = JSON.parse(text);
        const error = body && body.error;
        const message = (error && (error.message || (typeof error === 'string' && error))) || body.message;
        if (typeof message === 'string' && message) return message;
      } else if (text) {
        const doc = new DOMParser().parseFromString(text, 'text/html');
        const node = doc.querySelector('[data-error-message]');
        if (node && node.textContent.trim()) return node.textContent.trim();
      }
    } catch (err) {
      // Fall through to the generic message.
    }
    const status = `${xhr.status}${xhr.statusText ? ' ' + xhr.statusText : ''}`;
    return `Something went wrong (${status}). Please try again.`;
  }

  document.addEventListener('htmx:responseError', (event) => {
    const xhr = event.detail.xhr;
    // The server already said something through HX-Trigger: do not say it twice.
    if (/showToast/.test(xhr.getResponseHeader('HX-Trigger') || '')) return;
    showToast(responseMessage(xhr), 'error');
  });
  document.addEventListener('htmx:sendError', () =>
    showToast('Patchbay could not be reached. Check your connection and try again.', 'error')
  );
  document.addEventListener('htmx:timeout', () => showToast('The request took too long. Please try again.', 'error'));

  // ---------------------------------------------------------------------------------------------
  // Request policy shared with the real htmx: swap 422 (forms re-rendered with inline errors),
  // and errors the server explicitly retargets; send the CSRF token on our own requests.

  document.addEventListener('htmx:beforeSwap', (event) => {
    const xhr = event.detail.xhr;
    const redirected = xhr.getResponseHeader('HX-Retarget') || xhr.getResponseHeader('HX-Reswap');
    if (xhr.status === 422 || (xhr.status >= 400 && redirected)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener('htmx:configRequest', (event) => {
    const meta = document.querySelector('meta[name="csrf-token"]');
    const headers = event.detail.headers;
    const sameOrigin = new URL(event.detail.path, location.href).origin === location.origin;
    if (meta && meta.content && sameOrigin && !headers['X-CSRF-Token']) headers['X-CSRF-Token'] = meta.content;
  });

  // ---------------------------------------------------------------------------------------------
  // Modal: a <dialog data-modal> swapped into #modal opens itself; closing empties #modal.

  let returnFocus = null;
  const wired = new WeakSet();

  function openModal(dialog) {
    if (dialog.open) return;
    const active = document.activeElement;
    if (!returnFocus && active && active !== document.body && !dialog.contains(active)) returnFocus = active;
    if (!wired.has(dialog)) {
      wired.add(dialog);
      let pressedOnBackdrop = false;
      dialog.addEventListener('mousedown', (event) => (pressedOnBackdrop = event.target === dialog));
      dialog.addEventListener('click', (event) => {
        if (event.target === dialog && pressedOnBackdrop) dialog.close();
      });
      dialog.addEventListener('close', () => {
        dialog.remove();
        const back = returnFocus;
        returnFocus = null;
        if (back && back.isConnected) back.focus();
      });
    }
    dialog.showModal();
    const first =
      dialog.querySelector('[autofocus], [aria-invalid="true"]') ||
      dialog.querySelector('.modal-body input:not([type=hidden]), .modal-body select, .modal-body textarea');
    if (first) first.focus();
  }

  function closeModal() {
    document.querySelectorAll('dialog[data-modal][open]').forEach((dialog) => dialog.close());
  }

  document.addEventListener('closeModal', closeModal);
  document.addEventListener('htmx:beforeRequest', (event) => {
    const target = event.detail.target;
    if (target && target.id === 'modal' && !document.querySelector('dialog[data-modal][open]')) {
      returnFocus = event.detail.elt;
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Tabs: the panel in #tab-panel says which tab it is (data-tab); the tab links follow it.

  function syncTabs() {
    document.querySelectorAll('.tabs[data-tabs-for]').forEach((nav) => {
      const panel = document.getElementById(nav.getAttribute('data-tabs-for'));
      const current = panel && panel.querySelector('[data-tab]');
      if (!current) return;
      markTab(nav, current.getAttribute('data-tab'));
    });
  }

  function markTab(nav, key) {
    nav.querySelectorAll('a[data-tab]').forEach((link) => {
      if (link.getAttribute('data-tab') === key) link.setAttribute('aria-current', 'page');
      else link.removeAttribute('aria-current');
    });
  }

  document.addEventListener('htmx:beforeRequest', (event) => {
    const link = event.detail.elt;
    const nav = link && link.closest && link.closest('.tabs[data-tabs-for]');
    if (nav && link.hasAttribute('data-tab')) markTab(nav, link.getAttribute('data-tab'));
  });
  document.addEventListener('htmx:afterSwap', syncTabs);
  document.addEventListener('htmx:historyRestore', syncTabs);

  // ---------------------------------------------------------------------------------------------
  // Enhancing content as it arrives (page load and every swap).

  function markMissingIcon(img) {
    const holder = img.closest('.card-icon');
    if (!holder) return;
    holder.classList.add('is-missing');
    holder.setAttribute('data-initial', (img.getAttribute('alt') || '?').trim().charAt(0).toUpperCase());
  }

  function enhance(root) {
    if (!root || root.nodeType !== 1) return;
    const all = (selector) =>
      (root.matches(selector) ? [root] : []).concat(Array.from(root.querySelectorAll(selector)));
    all('[data-js-only][hidden]').forEach((node) => node.removeAttribute('hidden'));
    all('.card-icon img').forEach((img) => img.complete && img.naturalWidth === 0 && markMissingIcon(img));
    all('dialog[data-modal]').forEach(openModal);
    const invalid = root.querySelector('[aria-invalid="true"]');
    if (invalid && root !== document.body) invalid.focus();
    syncTabs();
  }

  document.addEventListener('htmx:load', (event) => enhance(event.detail.elt || event.target));
  document.addEventListener(
    'error',
    (event) => event.target.matches && event.target.matches('.card-icon img') && markMissingIcon(event.target),
    true
  );

  // ---------------------------------------------------------------------------------------------
  // Delegated clicks: modal close, toast dismiss, copy, key/value rows.

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    return new Promise((resolve, reject) => {
      const area = document.createElement('textarea');
      area.value = text;
      area.className = 'visually-hidden';
      document.body.append(area);
      area.select();
      const ok = document.execCommand('copy');
      area.remove();
      ok ? resolve() : reject(new Error('copy refused'));
    });
  }

  function copyFrom(button) {
    const selector = button.getAttribute('data-copy-target');
    const source = selector ? document.querySelector(selector) : null;
    const text = source ? ('value' in source ? source.value : source.textContent) : button.getAttribute('data-copy');
    copyText(text || '').then(
      () => showToast(button.getAttribute('data-copy-message') || 'Copied to clipboard.', 'success'),
      () => showToast('Copying is not allowed here; select the text and copy it by hand.', 'error')
    );
  }

  function addKeyValueRow(button) {
    const list = button.closest('[data-kv]');
    const template = list && list.querySelector('template[data-kv-template]');
    if (!template) return;
    const row = template.content.firstElementChild.cloneNode(true);
    list.querySelector('.kv-rows').append(row);
    enhance(row);
    const input = row.querySelector('input');
    if (input) input.focus();
  }

  function removeKeyValueRow(button) {
    const row = button.closest('.kv-row');
    const rows = row && row.parentElement;
    if (!rows) return;
    if (rows.querySelectorAll('.kv-row').length > 1) {
      const neighbour = row.previousElementSibling || row.nextElementSibling;
      row.remove();
      const input = neighbour && neighbour.querySelector('input');
      if (input) input.focus();
    } else {
      row.querySelectorAll('input').forEach((input) => (input.value = ''));
      row.querySelector('input').focus();
    }
  }

  const CLICK_ACTIONS =
    '[data-modal-close],[data-toast-close],[data-copy],[data-copy-target],[data-kv-add],[data-kv-remove]';

  document.addEventListener('click', (event) => {
    const el = event.target.closest && event.target.closest(CLICK_ACTIONS);
    closeMenusOutside(event.target);
    if (!el) return;
    if (el.matches('[data-modal-close]')) {
      // Outside a dialog (the full-page form) a close link is an ordinary link.
      const dialog = el.closest('dialog');
      if (dialog) {
        event.preventDefault();
        dialog.close();
      }
    } else if (el.matches('[data-toast-close]')) {
      dismissToast(el.closest('.toast'));
    } else if (el.matches('[data-copy],[data-copy-target]')) {
      event.preventDefault();
      copyFrom(el);
    } else if (el.matches('[data-kv-add]')) {
      addKeyValueRow(el);
    } else if (el.matches('[data-kv-remove]')) {
      removeKeyValueRow(el);
    }
  });

  // ---------------------------------------------------------------------------------------------
  // Confirmation for plain forms and buttons (hx-confirm covers the htmx-driven ones), and
  // selects that submit their form on change (the tenant switcher).

  document.addEventListener(
    'submit',
    (event) => {
      const form = event.target;
      const submitter = event.submitter;
      const question =
        (submitter && submitter.getAttribute('data-confirm')) ||
        (form.getAttribute && form.getAttribute('data-confirm'));
      if (question && !window.confirm(question)) {
        event.preventDefault();
        event.stopImmediatePropagation();
      }
    },
    true
  );

  document.addEventListener('change', (event) => {
    const field = event.target;
    if (field.matches && field.matches('[data-autosubmit]') && field.form) field.form.requestSubmit();
  });

  // ---------------------------------------------------------------------------------------------
  // Menus built on <details>: close on outside click and Escape.

  function closeMenusOutside(target) {
    document.querySelectorAll('details.menu[open]').forEach((menu) => {
      if (!menu.contains(target)) menu.removeAttribute('open');
    });
  }

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const menu = document.querySelector('details.menu[open]');
    if (!menu) return;
    menu.removeAttribute('open');
    menu.querySelector('summary').focus();
  });

  // ---------------------------------------------------------------------------------------------

  function start() {
    enhance(document.body);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();

  window.patchbay = { showToast, closeModal };
})();
