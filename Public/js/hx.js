/*
 * hx.js — Patchbay's small client for the htmx attribute and header protocol.
 *
 * The templates are written against htmx 2 semantics, so the real htmx.min.js can be dropped in
 * instead of this file without touching them. This client implements the subset Patchbay uses:
 *
 *   hx-get/-post/-put/-patch/-delete   issue a request when the element's trigger fires
 *   hx-trigger    events with modifiers: once, changed, delay:, throttle:, from:, target:,
 *                 consume; special triggers load, revealed, intersect, every <time>
 *   hx-target     CSS selector, this, closest/find/next/previous <selector>
 *   hx-swap       innerHTML, outerHTML, beforebegin, afterbegin, beforeend, afterend, delete,
 *                 none; modifiers swap:, settle:, scroll:, show:, ignoreTitle:
 *   hx-select, hx-swap-oob (in responses), hx-confirm, hx-vals (JSON only), hx-headers,
 *   hx-include, hx-indicator, hx-disabled-elt, hx-push-url, hx-replace-url, hx-boost (links)
 *
 * Every hx-* attribute may also be written data-hx-*. Attributes other than the verbs and
 * hx-trigger are inherited from ancestors, as in htmx.
 *
 * No code is ever evaluated: trigger filters ([...]) and js: values are ignored with a warning,
 * which keeps the client usable under `script-src 'self'`. Script tags in responses never run.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------------------------------------
  // Configuration and small helpers

  /** Defaults, overridable through <meta name="htmx-config" content='{...}'> like htmx's. */
  const config = {
    defaultSwapStyle: 'innerHTML',
    defaultSwapDelay: 0,
    defaultSettleDelay: 20,
    historyEnabled: true,
    selfRequestsOnly: true,
    timeout: 0,
  };

  const VERBS = ['get', 'post', 'put', 'patch', 'delete'];
  const VERB_SELECTOR = VERBS.map((v) => `[hx-${v}],[data-hx-${v}]`).join(',');
  const SWAP_STYLES = {
    innerhtml: 'innerHTML',
    outerhtml: 'outerHTML',
    beforebegin: 'beforebegin',
    afterbegin: 'afterbegin',
    beforeend: 'beforeend',
    afterend: 'afterend',
    delete: 'delete',
    none: 'none',
  };

  /** Per-element bookkeeping, dropped with the element. */
  const states = new WeakMap();
  function stateOf(elt) {
    let state = states.get(elt);
    if (!state) {
      state = { bound: false, inFlight: false, pending: null, lastValues: new Map(), timers: new Map(), count: 0 };
      states.set(elt, state);
    }
    return state;
  }

  function readConfig() {
    const meta = document.querySelector('meta[name="htmx-config"]');
    if (!meta) return;
    try {
      Object.assign(config, JSON.parse(meta.getAttribute('content')));
    } catch (err) {
      console.warn('hx: ignoring unreadable htmx-config meta', err);
    }
  }

  /** "300ms" → 300, "2s" → 2000, "150" → 150. */
  function parseTime(text) {
    if (text == null) return 0;
    const match = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(String(text).trim());
    if (!match) return 0;
    const value = parseFloat(match[1]);
    return match[2] === 's' ? value * 1000 : match[2] === 'm' ? value * 60000 : value;
  }

  /** The element's own value of hx-NAME or data-hx-NAME, or null. */
  function ownAttr(elt, name) {
    if (!elt || !elt.getAttribute) return null;
    const value = elt.getAttribute('hx-' + name);
    return value !== null ? value : elt.getAttribute('data-hx-' + name);
  }

  /** The nearest value of an inherited attribute and the element carrying it. */
  function inheritedAttr(elt, name) {
    for (let node = elt; node && node.nodeType === 1; node = node.parentElement) {
      const value = ownAttr(node, name);
      if (value !== null) return value === 'unset' ? null : { value, owner: node };
    }
    return null;
  }

  /** Fires a bubbling, cancelable CustomEvent; returns false when a listener cancelled it. */
  function fire(elt, name, detail) {
    const target = elt && elt.isConnected ? elt : document.body;
    const payload = detail && typeof detail === 'object' ? detail : {};
    if (payload.elt === undefined) payload.elt = target;
    const event = new CustomEvent(name, { bubbles: true, cancelable: true, composed: true, detail: payload });
    target.dispatchEvent(event);
    return !event.defaultPrevented;
  }

  function parseJSONAttr(text, what) {
    if (!text) return null;
    const trimmed = text.trim();
    if (/^(js|javascript):/.test(trimmed)) {
      console.warn(`hx: ${what} with js: is not supported (no eval under CSP)`);
      return null;
    }
    try {
      return JSON.parse(trimmed.startsWith('{') ? trimmed : `{${trimmed}}`);
    } catch (err) {
      console.warn(`hx: ignoring invalid JSON in ${what}`, err);
      return null;
    }
  }

  /**
   * Resolves an extended selector relative to `from`: this, closest/find/next/previous <sel>,
   * document, window, body, or a plain (possibly comma separated) CSS selector.
   */
  function resolveAll(spec, from) {
    const text = (spec || '').trim();
    if (!text) return [];
    if (text === 'this') return [from];
    if (text === 'document') return [document];
    if (text === 'window') return [window];
    if (text === 'body') return [document.body];
    const match = /^(closest|find|next|previous)(?:\s+(.+))?$/.exec(text);
    if (match) {
      const selector = match[2];
      let found = null;
      if (match[1] === 'closest') found = from.closest(selector);
      else if (match[1] === 'find') found = from.querySelector(selector);
      else found = sibling(from, selector, match[1] === 'next');
      return found ? [found] : [];
    }
    try {
      return Array.from(document.querySelectorAll(text));
    } catch (err) {
      console.warn('hx: invalid selector', text);
      return [];
    }
  }

  /** The next (or previous) element in document order matching `selector`. */
  function sibling(from, selector, forward) {
    if (!selector) return forward ? from.nextElementSibling : from.previousElementSibling;
    const all = Array.from(document.querySelectorAll(selector));
    const candidates = forward ? all : all.reverse();
    const relation = forward ? Node.DOCUMENT_POSITION_FOLLOWING : Node.DOCUMENT_POSITION_PRECEDING;
    return candidates.find((node) => from.compareDocumentPosition(node) & relation) || null;
  }

  function isSameOrigin(url) {
    return new URL(url, location.href).origin === location.origin;
  }

  // ---------------------------------------------------------------------------------------------
  // Triggers

  /** Splits "a, b delay:1s" on top-level commas (not inside [...] filters). */
  function splitTopLevel(text) {
    const parts = [];
    let depth = 0;
    let current = '';
    for (const ch of text) {
      if (ch === '[') depth++;
      if (ch === ']') depth = Math.max(0, depth - 1);
      if (ch === ',' && depth === 0) {
        parts.push(current);
        current = '';
      } else {
        current += ch;
      }
    }
    parts.push(current);
    return parts.map((p) => p.trim()).filter(Boolean);
  }

  /** Parses hx-trigger into specs {event, delay, throttle, changed, once, consume, from, target}. */
  function parseTriggers(elt) {
    const text = ownAttr(elt, 'trigger');
    if (!text) return [{ event: defaultEvent(elt) }];
    return splitTopLevel(text).map((part) => {
      const filter = /\[.*\]/.exec(part);
      if (filter) console.warn('hx: trigger filters are not supported and were ignored:', filter[0]);
      const tokens = part.replace(/\[.*\]/, ' ').trim().split(/\s+/);
      const spec = { event: tokens.shift() };
      if (spec.event === 'every') spec.every = parseTime(tokens.shift());
      while (tokens.length) {
        const token = tokens.shift();
        const [key, ...rest] = token.split(':');
        let value = rest.join(':');
        if (key === 'changed' || key === 'once' || key === 'consume') spec[key] = true;
        else if (key === 'delay' || key === 'throttle') spec[key] = parseTime(value);
        else if (key === 'from' || key === 'target') {
          // "from:closest form" spans two tokens.
          if (/^(closest|find|next|previous)$/.test(value) && tokens.length) value += ' ' + tokens.shift();
          spec[key] = value;
        } else if (key === 'threshold') spec.threshold = parseFloat(value);
        // queue:, root: and unknown modifiers are accepted and ignored.
      }
      return spec;
    });
  }

  function defaultEvent(elt) {
    if (elt.matches('form')) return 'submit';
    if (elt.matches('input[type=submit],input[type=button],input[type=reset]')) return 'click';
    if (elt.matches('input,select,textarea')) return 'change';
    return 'click';
  }

  /** Whether the browser's own action (navigation, form submission) must be prevented. */
  function shouldCancel(elt, event) {
    if (event.type === 'submit') return true;
    if (event.type !== 'click') return false;
    if (elt.matches('a[href]')) return true;
    return !!elt.form && elt.matches('button:not([type=button]):not([type=reset]),input[type=submit]');
  }

  function hasModifierKeys(event) {
    return event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || (event.button || 0) !== 0;
  }

  /** The current value `changed` compares; inputs start from the value the server rendered. */
  function changedGuard(state, index, node) {
    if (!state.lastValues.has(index)) state.lastValues.set(index, new WeakMap());
    const seen = state.lastValues.get(index);
    const value = node && 'value' in node ? node.value : undefined;
    const previous = seen.has(node) ? seen.get(node) : node && 'defaultValue' in node ? node.defaultValue : undefined;
    seen.set(node, value);
    return previous !== value;
  }

  function bindTrigger(elt, spec, index, fireRequest) {
    const state = stateOf(elt);
    let firedOnce = false;

    const run = (event) => {
      if (spec.once && firedOnce) return;
      firedOnce = true;
      if (spec.throttle) {
        if (state.timers.get('t' + index)) return;
        state.timers.set('t' + index, setTimeout(() => state.timers.delete('t' + index), spec.throttle));
        fireRequest(event);
      } else if (spec.delay) {
        clearTimeout(state.timers.get('d' + index));
        state.timers.set('d' + index, setTimeout(() => fireRequest(event), spec.delay));
      } else {
        fireRequest(event);
      }
    };

    if (spec.event === 'load') {
      setTimeout(() => run(null), 0);
      return;
    }
    if (spec.every) {
      const timer = setInterval(() => (elt.isConnected ? run(null) : clearInterval(timer)), spec.every);
      return;
    }
    if (spec.event === 'revealed' || spec.event === 'intersect') {
      const observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          if (spec.event === 'revealed') observer.disconnect();
          run(null);
        },
        { threshold: spec.threshold || 0 }
      );
      observer.observe(elt);
      return;
    }

    const sources = spec.from ? resolveAll(spec.from, elt) : [elt];
    const listener = (event) => {
      if (!elt.isConnected) {
        sources.forEach((source) => source.removeEventListener(spec.event, listener));
        return;
      }
      if (spec.target && !(event.target && event.target.matches && event.target.matches(spec.target))) return;
      if (!spec.from && elt.matches('a[href]') && event.type === 'click' && hasModifierKeys(event)) return;
      if (shouldCancel(elt, event)) event.preventDefault();
      if (spec.consume) event.stopPropagation();
      if (spec.changed && !changedGuard(state, index, event.target)) return;
      run(event);
    };
    sources.forEach((source) => source.addEventListener(spec.event, listener));
  }

  // ---------------------------------------------------------------------------------------------
  // Processing new content

  /** Binds hx-* behaviour on `root` and its descendants; safe to call twice. */
  function process(root) {
    if (!root || root.nodeType !== 1) return;
    const elements = Array.from(root.querySelectorAll(VERB_SELECTOR));
    if (root.matches(VERB_SELECTOR)) elements.unshift(root);
    elements.forEach(bindElement);
    const links = Array.from(root.querySelectorAll('a[href]'));
    if (root.matches('a[href]')) links.unshift(root);
    links.forEach(bindBoostedLink);
  }

  function bindElement(elt) {
    const state = stateOf(elt);
    if (state.bound) return;
    state.bound = true;
    const verb = VERBS.find((v) => ownAttr(elt, v) !== null);
    parseTriggers(elt).forEach((spec, index) =>
      bindTrigger(elt, spec, index, (event) => issueRequest(elt, verb, ownAttr(elt, verb), event))
    );
  }

  function bindBoostedLink(link) {
    const boost = inheritedAttr(link, 'boost');
    if (!boost || boost.value !== 'true') return;
    if (link.matches(VERB_SELECTOR) || link.hasAttribute('download')) return;
    if ((link.target && link.target !== '_self') || !isSameOrigin(link.href)) return;
    const raw = link.getAttribute('href');
    if (raw.startsWith('#') || raw.startsWith('mailto:') || raw.startsWith('javascript:')) return;
    const state = stateOf(link);
    if (state.bound) return;
    state.bound = true;
    link.addEventListener('click', (event) => {
      if (event.defaultPrevented || hasModifierKeys(event)) return;
      event.preventDefault();
      issueRequest(link, 'get', link.href, event, { boosted: true });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Requests

  function appendForm(params, form, submitter) {
    let data;
    try {
      data = submitter ? new FormData(form, submitter) : new FormData(form);
    } catch (err) {
      data = new FormData(form); // a submitter that does not belong to the form
    }
    for (const [name, value] of data) if (typeof value === 'string') params.append(name, value);
  }

  function appendControl(params, control) {
    if (!control.name || control.disabled) return;
    if (control.matches('input[type=checkbox],input[type=radio]') && !control.checked) return;
    if (control.matches('select[multiple]')) {
      Array.from(control.selectedOptions).forEach((o) => params.append(control.name, o.value));
    } else if (control.matches('input,select,textarea,button')) {
      params.append(control.name, control.value);
    }
  }

  /** The parameters htmx would send: enclosing form, own value, hx-include, then hx-vals. */
  function collectParams(elt, verb, event) {
    const params = new URLSearchParams();
    const isForm = elt.matches('form');
    const form = isForm ? elt : verb !== 'get' ? elt.closest('form') : null;
    if (form) {
      const submitter = isForm ? event && event.submitter : elt.matches('button,input[type=submit]') ? elt : null;
      appendForm(params, form, submitter);
    }
    if (!isForm && !(form && form.contains(elt))) appendControl(params, elt);

    const include = inheritedAttr(elt, 'include');
    if (include) {
      resolveAll(include.value, include.owner).forEach((node) => {
        if (node.matches('form')) appendForm(params, node, null);
        else if (node.matches('input,select,textarea')) appendControl(params, node);
        else node.querySelectorAll('input,select,textarea').forEach((c) => appendControl(params, c));
      });
    }

    // hx-vals: outermost first so nearer declarations win.
    const chain = [];
    for (let node = elt; node && node.nodeType === 1; node = node.parentElement) {
      const vals = parseJSONAttr(ownAttr(node, 'vals'), 'hx-vals');
      if (vals) chain.unshift(vals);
    }
    chain.forEach((vals) =>
      Object.entries(vals).forEach(([name, value]) =>
        params.set(name, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value))
      )
    );
    return params;
  }

  function collectHeaders(elt, target, url, boosted) {
    const headers = { 'HX-Request': 'true', 'HX-Current-URL': location.href };
    if (elt.id) headers['HX-Trigger'] = elt.id;
    if (elt.getAttribute('name')) headers['HX-Trigger-Name'] = elt.getAttribute('name');
    if (target && target.id) headers['HX-Target'] = target.id;
    if (boosted) headers['HX-Boosted'] = 'true';
    // The CSRF token only ever goes to our own origin.
    const csrf = document.querySelector('meta[name="csrf-token"]');
    if (csrf && csrf.content && isSameOrigin(url)) headers['X-CSRF-Token'] = csrf.content;
    const chain = [];
    for (let node = elt; node && node.nodeType === 1; node = node.parentElement) {
      const extra = parseJSONAttr(ownAttr(node, 'headers'), 'hx-headers');
      if (extra) chain.unshift(extra);
    }
    chain.forEach((extra) => Object.assign(headers, extra));
    return headers;
  }

  function resolveTarget(elt, boosted) {
    const attr = inheritedAttr(elt, 'target');
    if (attr) return resolveAll(attr.value, attr.owner)[0] || null;
    return boosted ? document.body : elt;
  }

  function parseSwap(text, boosted) {
    const spec = {
      style: boosted ? 'innerHTML' : config.defaultSwapStyle,
      swapDelay: config.defaultSwapDelay,
      settleDelay: config.defaultSettleDelay,
      show: boosted ? 'top' : null,
      scroll: null,
      ignoreTitle: false,
    };
    (text || '').trim().split(/\s+/).filter(Boolean).forEach((token) => {
      const colon = token.indexOf(':');
      if (colon < 0) {
        spec.style = SWAP_STYLES[token.toLowerCase()] || spec.style;
        return;
      }
      const key = token.slice(0, colon);
      const value = token.slice(colon + 1);
      if (key === 'swap') spec.swapDelay = parseTime(value);
      else if (key === 'settle') spec.settleDelay = parseTime(value);
      else if (key === 'show' || key === 'scroll') spec[key] = value.replace(/^window:/, '');
      else if (key === 'ignoreTitle') spec.ignoreTitle = value === 'true';
    });
    return spec;
  }

  function addIndicators(elt) {
    const attr = inheritedAttr(elt, 'indicator');
    const indicators = attr ? resolveAll(attr.value, attr.owner) : [];
    const marked = [elt, ...indicators.filter((node) => node !== elt)];
    marked.forEach((node) => {
      stateOf(node).count++;
      node.classList.add('htmx-request');
    });
    const disabledAttr = inheritedAttr(elt, 'disabled-elt');
    const disabled = disabledAttr
      ? resolveAll(disabledAttr.value, disabledAttr.owner).filter((node) => 'disabled' in node && !node.disabled)
      : [];
    disabled.forEach((node) => (node.disabled = true));
    return () => {
      marked.forEach((node) => {
        const state = stateOf(node);
        state.count = Math.max(0, state.count - 1);
        if (state.count === 0) node.classList.remove('htmx-request');
      });
      disabled.forEach((node) => (node.disabled = false));
    };
  }

  /**
   * Issues one request for `elt`. Returns a promise settled when the response was handled.
   * While a request from the same element is in flight, the latest new one waits for it.
   */
  function issueRequest(elt, verb, path, event, options) {
    const opts = options || {};
    const state = stateOf(elt);
    if (state.inFlight) {
      // Queue only the latest trigger (htmx's default "queue last"); a replaced one just ends.
      if (state.pendingResolve) state.pendingResolve();
      return new Promise((resolve) => {
        state.pendingResolve = resolve;
        state.pending = () => issueRequest(elt, verb, path, event, opts).then(resolve);
      });
    }

    const confirmAttr = opts.skipConfirm ? null : inheritedAttr(elt, 'confirm');
    if (confirmAttr) {
      const go = () => issueRequest(elt, verb, path, event, Object.assign({}, opts, { skipConfirm: true }));
      const detail = { question: confirmAttr.value, triggeringEvent: event, issueRequest: go, target: null };
      if (!fire(elt, 'htmx:confirm', detail)) return Promise.resolve();
      if (!window.confirm(confirmAttr.value)) return Promise.resolve();
    }

    const boosted = !!opts.boosted;
    const target = opts.target || resolveTarget(elt, boosted);
    if (!target) {
      fire(elt, 'htmx:targetError', { target: inheritedAttr(elt, 'target') });
      return Promise.resolve();
    }
    const url = new URL(path || location.href, location.href);
    if (config.selfRequestsOnly && url.origin !== location.origin) {
      console.warn('hx: refusing a cross-origin request to', url.href);
      return Promise.resolve();
    }

    const params = opts.values ? new URLSearchParams(opts.values) : collectParams(elt, verb, event);
    const headers = collectHeaders(elt, target, url.href, boosted);
    const requestPath = url.pathname + url.search;
    const detail = { verb, path: requestPath, parameters: params, headers, elt, target, triggeringEvent: event };
    if (!fire(elt, 'htmx:configRequest', detail)) return Promise.resolve();
    if (!fire(elt, 'htmx:beforeRequest', { elt, target, requestConfig: detail })) return Promise.resolve();

    const useQuery = verb === 'get' || verb === 'delete';
    const finalUrl = new URL(detail.path, location.href);
    if (useQuery) detail.parameters.forEach((value, name) => finalUrl.searchParams.append(name, value));

    const ctx = {
      elt,
      target,
      verb,
      boosted,
      requestUrl: finalUrl.pathname + finalUrl.search,
      swap: parseSwap(opts.swap || (inheritedAttr(elt, 'swap') || {}).value, boosted),
      select: (inheritedAttr(elt, 'select') || {}).value || null,
    };

    state.inFlight = true;
    const done = addIndicators(elt);
    return new Promise((resolve) => {
      const xhr = new XMLHttpRequest();
      xhr.open(verb.toUpperCase(), finalUrl.href, true);
      xhr.timeout = config.timeout;
      Object.entries(detail.headers).forEach(([name, value]) => value != null && xhr.setRequestHeader(name, value));
      const finish = () => {
        done();
        state.inFlight = false;
        fire(elt, 'htmx:afterRequest', { elt, target, xhr, successful: xhr.status >= 200 && xhr.status < 400 });
        resolve();
        const pending = state.pending;
        state.pending = null;
        state.pendingResolve = null;
        if (pending) pending();
      };
      xhr.onload = () => {
        try {
          handleResponse(ctx, xhr);
        } catch (err) {
          console.error('hx: error while handling the response', err);
          fire(elt, 'htmx:swapError', { xhr, target, error: err });
        }
        finish();
      };
      const failed = (name) => () => {
        fire(elt, name, { xhr, target, requestConfig: detail });
        finish();
      };
      xhr.onerror = failed('htmx:sendError');
      xhr.ontimeout = failed('htmx:timeout');
      xhr.onabort = failed('htmx:sendAbort');
      if (useQuery) xhr.send();
      else {
        xhr.setRequestHeader('Content-Type', 'application/x-www-form-urlencoded');
        xhr.send(detail.parameters.toString());
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Responses

  /** Fires the events named by an HX-Trigger* header: a JSON object or a comma list. */
  function fireHeaderEvents(elt, value) {
    if (!value) return;
    const text = value.trim();
    if (text.startsWith('{')) {
      let events;
      try {
        events = JSON.parse(text);
      } catch (err) {
        console.warn('hx: unreadable trigger header', text);
        return;
      }
      Object.entries(events).forEach(([name, payload]) => {
        const isObject = payload !== null && typeof payload === 'object' && !Array.isArray(payload);
        const detail = isObject ? payload : { value: payload };
        fire(elt, name, detail);
      });
    } else {
      text.split(',').map((n) => n.trim()).filter(Boolean).forEach((name) => fire(elt, name, {}));
    }
  }

  function handleResponse(ctx, xhr) {
    const header = (name) => xhr.getResponseHeader(name);
    const { elt } = ctx;

    fireHeaderEvents(elt, header('HX-Trigger'));

    const location_ = header('HX-Location');
    const redirect = header('HX-Redirect') || (location_ && readLocation(location_));
    if (redirect) {
      window.location.href = redirect;
      return;
    }
    if (header('HX-Refresh') === 'true') {
      window.location.reload();
      return;
    }

    let target = ctx.target;
    let swapSpec = ctx.swap;
    const retarget = header('HX-Retarget');
    const reswap = header('HX-Reswap');
    if (retarget) target = resolveAll(retarget, elt)[0] || target;
    if (reswap) swapSpec = parseSwap(reswap, ctx.boosted);

    const status = xhr.status;
    // 422 carries a re-rendered form with inline errors; other errors swap only when the
    // server explicitly retargets or reswaps them.
    const isError = status >= 400 && status !== 422 && !(retarget || reswap);
    const shouldSwap = status !== 204 && (!(status >= 400) || !isError);
    const detail = { xhr, elt, target, requestConfig: ctx, shouldSwap, isError, swapOverride: null };
    detail.serverResponse = xhr.responseText;
    if (!fire(target, 'htmx:beforeSwap', detail)) return;
    target = detail.target;
    if (detail.swapOverride) swapSpec = parseSwap(detail.swapOverride, ctx.boosted);

    if (detail.isError) fire(elt, 'htmx:responseError', { xhr, elt, target, error: `Response status ${status}` });
    if (!detail.shouldSwap) return;

    const history = historyUpdate(ctx, xhr);
    const run = () => {
      target.classList.remove('htmx-swapping');
      const newNodes = swapContent(target, detail.serverResponse, swapSpec, ctx.select);
      if (history) {
        try {
          history();
        } catch (err) {
          console.warn('hx: could not update history', err); // e.g. a cross-origin hx-push-url
        }
      }
      afterSwap(target, elt, xhr, newNodes, swapSpec);
      fireHeaderEvents(elt, header('HX-Trigger-After-Swap'));
      setTimeout(() => {
        newNodes.forEach((node) => node.classList && node.classList.remove('htmx-added'));
        target.classList.remove('htmx-settling');
        fire(target, 'htmx:afterSettle', { elt, target, xhr });
        fireHeaderEvents(elt, header('HX-Trigger-After-Settle'));
      }, swapSpec.settleDelay);
    };
    if (swapSpec.swapDelay > 0) {
      target.classList.add('htmx-swapping');
      setTimeout(run, swapSpec.swapDelay);
    } else {
      run();
    }
  }

  function readLocation(value) {
    if (!value.trim().startsWith('{')) return value;
    try {
      return JSON.parse(value).path || null;
    } catch (err) {
      return null;
    }
  }

  /** Works out the history change a response asks for; returns a function applying it, or null. */
  function historyUpdate(ctx, xhr) {
    if (!config.historyEnabled) return null;
    const pushHeader = xhr.getResponseHeader('HX-Push-Url');
    const replaceHeader = xhr.getResponseHeader('HX-Replace-Url');
    const responsePath = () => {
      // After a redirect the browser reports the final URL; prefer it, as htmx does.
      const final = xhr.responseURL ? new URL(xhr.responseURL) : null;
      return final && final.origin === location.origin ? final.pathname + final.search : ctx.requestUrl;
    };
    const pick = (headerValue, attrName, implicit) => {
      if (headerValue) return headerValue === 'false' ? false : headerValue;
      const attr = inheritedAttr(ctx.elt, attrName);
      const value = attr ? attr.value : implicit ? 'true' : 'false';
      if (value === 'false') return false;
      return value === 'true' ? responsePath() : value;
    };
    const push = pick(pushHeader, 'push-url', ctx.boosted);
    const replace = pick(replaceHeader, 'replace-url', false);
    if (push) {
      return () => {
        window.history.pushState({ htmx: true }, '', push);
        fire(document.body, 'htmx:pushedIntoHistory', { path: push });
      };
    }
    if (replace) {
      return () => {
        window.history.replaceState({ htmx: true }, '', replace);
        fire(document.body, 'htmx:replacedInHistory', { path: replace });
      };
    }
    return null;
  }

  // ---------------------------------------------------------------------------------------------
  // Swapping

  /** Parses response HTML; full documents yield their <body> content and <title>. */
  function parseResponse(html) {
    if (/<(html|body)[\s>]/i.test(html.slice(0, 2000))) {
      const doc = new DOMParser().parseFromString(html, 'text/html');
      const fragment = document.createDocumentFragment();
      Array.from(doc.body.childNodes).forEach((node) => fragment.appendChild(document.importNode(node, true)));
      return { fragment, title: doc.title || null };
    }
    const template = document.createElement('template');
    template.innerHTML = html;
    const fragment = template.content;
    const titleElt = fragment.querySelector('title');
    const title = titleElt ? titleElt.textContent : null;
    if (titleElt) titleElt.remove();
    return { fragment, title };
  }

  function swapContent(target, html, spec, select) {
    const parsed = parseResponse(html || '');
    let fragment = parsed.fragment;
    if (parsed.title !== null && !spec.ignoreTitle && spec.style !== 'none') document.title = parsed.title.trim();

    const oobNodes = swapOutOfBand(fragment);

    if (select) {
      const picked = document.createDocumentFragment();
      fragment.querySelectorAll(select).forEach((node) => picked.appendChild(node));
      fragment = picked;
    }
    const focus = rememberFocus(target);
    const newNodes = Array.from(fragment.children);
    insert(target, fragment, spec.style);
    newNodes.forEach((node) => node.classList.add('htmx-added'));
    if (spec.style !== 'delete' && spec.style !== 'none' && target.isConnected) target.classList.add('htmx-settling');
    restoreFocus(focus);
    return newNodes.concat(oobNodes);
  }

  /** Inserts a fragment relative to the target; innerHTML is the fallback for unknown styles. */
  const INSERTERS = {
    innerHTML: (target, fragment) => target.replaceChildren(fragment),
    outerHTML: (target, fragment) => target.replaceWith(fragment),
    beforebegin: (target, fragment) => target.before(fragment),
    afterbegin: (target, fragment) => target.prepend(fragment),
    beforeend: (target, fragment) => target.append(fragment),
    afterend: (target, fragment) => target.after(fragment),
    delete: (target) => target.remove(),
    none: () => {},
  };

  function insert(target, fragment, style) {
    (INSERTERS[style] || INSERTERS.innerHTML)(target, fragment);
  }

  /** Elements marked hx-swap-oob="true" (or a swap style, optionally "style:selector") go by id. */
  function swapOutOfBand(fragment) {
    const swapped = [];
    fragment.querySelectorAll('[hx-swap-oob],[data-hx-swap-oob]').forEach((node) => {
      const value = ownAttr(node, 'swap-oob');
      node.removeAttribute('hx-swap-oob');
      node.removeAttribute('data-hx-swap-oob');
      node.remove();
      const [styleText, selector] = value === 'true' ? ['outerHTML', null] : value.split(/:(.+)/);
      const style = SWAP_STYLES[(styleText || '').toLowerCase()] || 'outerHTML';
      const target = selector ? document.querySelector(selector) : node.id && document.getElementById(node.id);
      if (!target) {
        fire(document.body, 'htmx:oobErrorNoTarget', { content: node });
        return;
      }
      const piece = document.createDocumentFragment();
      if (style === 'outerHTML') piece.appendChild(node);
      else Array.from(node.childNodes).forEach((child) => piece.appendChild(child));
      const added = Array.from(piece.children);
      insert(target, piece, style);
      swapped.push(...added);
    });
    return swapped;
  }

  /** Keeps the caret in a focused field whose id survives the swap (e.g. a search box). */
  function rememberFocus(target) {
    const active = document.activeElement;
    if (!active || !active.id || !(target === active || target.contains(active))) return null;
    const memo = { id: active.id };
    try {
      memo.start = active.selectionStart;
      memo.end = active.selectionEnd;
    } catch (err) {
      // Not every input type has a selection.
    }
    return memo;
  }

  function restoreFocus(memo) {
    if (!memo) return;
    const elt = document.getElementById(memo.id);
    if (!elt || elt === document.activeElement) return;
    elt.focus({ preventScroll: true });
    if (memo.start != null && elt.setSelectionRange) {
      try {
        elt.setSelectionRange(memo.start, memo.end);
      } catch (err) {
        // Ignored: the field type lost its selection API.
      }
    }
  }

  function afterSwap(target, elt, xhr, newNodes, spec) {
    newNodes.forEach(process);
    if (spec.show === 'top') window.scrollTo({ top: 0 });
    if (spec.scroll === 'top' && target.isConnected) target.scrollTop = 0;
    if (spec.scroll === 'bottom' && target.isConnected) target.scrollTop = target.scrollHeight;
    const eventTarget = target.isConnected ? target : newNodes.find((node) => node.isConnected) || document.body;
    fire(eventTarget, 'htmx:afterSwap', { elt, target, xhr });
    newNodes.forEach((node) => node.isConnected && fire(node, 'htmx:load', { elt: node }));
  }

  // ---------------------------------------------------------------------------------------------
  // History: entries we push are restored by asking the server for the full page again.

  function restoreHistory(url) {
    fire(document.body, 'htmx:historyCacheMiss', { path: url });
    const xhr = new XMLHttpRequest();
    xhr.open('GET', url, true);
    xhr.setRequestHeader('HX-Request', 'true');
    xhr.setRequestHeader('HX-History-Restore-Request', 'true');
    xhr.setRequestHeader('HX-Current-URL', location.href);
    xhr.onload = () => {
      if (xhr.status < 200 || xhr.status >= 300) {
        window.location.reload();
        return;
      }
      const { fragment, title } = parseResponse(xhr.responseText);
      if (title !== null) document.title = title.trim();
      const newNodes = Array.from(fragment.children);
      document.body.replaceChildren(fragment);
      newNodes.forEach(process);
      fire(document.body, 'htmx:historyRestore', { path: url });
      newNodes.forEach((node) => fire(node, 'htmx:load', { elt: node }));
    };
    xhr.onerror = () => window.location.reload();
    xhr.send();
  }

  function onPopState(event) {
    if (event.state && event.state.htmx) restoreHistory(location.pathname + location.search);
  }

  // ---------------------------------------------------------------------------------------------
  // Public API and start-up

  /** htmx.ajax-like entry point: hx.ajax('get', '/path', {target: '#sel', swap: 'outerHTML', values}). */
  function ajax(verb, path, options) {
    const opts = options || {};
    const source = typeof opts.source === 'string' ? document.querySelector(opts.source) : opts.source;
    const target = typeof opts.target === 'string' ? document.querySelector(opts.target) : opts.target;
    return issueRequest(source || target || document.body, verb.toLowerCase(), path, null, {
      target: target || document.body,
      swap: opts.swap,
      values: opts.values,
    });
  }

  const api = { version: 'patchbay-hx-1', config, process, ajax, trigger: fire };
  window.hx = api;
  if (!window.htmx) window.htmx = api;

  function init() {
    readConfig();
    if (config.historyEnabled) {
      window.history.replaceState(Object.assign({}, window.history.state, { htmx: true }), '', location.href);
      window.addEventListener('popstate', onPopState);
    }
    process(document.body);
    document.body.setAttribute('data-hx-ready', '');
    fire(document.body, 'htmx:load', { elt: document.body });
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
