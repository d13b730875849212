/*
 * builder.js — the custom HTTP connector builder (Templates/partials/builder.mustache): one step at
 * a time with Back/Next, the request mode, the variable picker next to templated inputs, and
 * mapping rows added by clicking a value in Try it's response.
 *
 * Without it the same form shows every step, one under the other, and still saves; only Try it
 * needs JavaScript. Like app.js it reacts to htmx's documented events (htmx:load), so it works over
 * hx.js or the real htmx. No eval, no inline styles: the strict CSP holds.
 */
(function () {
  'use strict';

  const FORM = 'form[data-builder]';
  // Inputs whose text is a template: one picker button each.
  const TEMPLATED = '[name="config.url"], [name="config.body"], [name="_steps_json"]';
  // Key/value lists whose values are templates: one picker button per list.
  const TEMPLATED_LISTS = ['config.headers', 'config.query_params'];
  const TARGET_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

  const forms = new WeakSet();

  // ---------------------------------------------------------------------------------------------
  // Steps

  function steps(form) {
    return Array.from(form.querySelectorAll('[data-builder-step]'));
  }

  function showStep(form, key, focus) {
    const all = steps(form);
    const index = Math.max(0, all.findIndex((step) => step.getAttribute('data-builder-step') === key));
    all.forEach((step, position) => step.classList.toggle('is-current', position === index));
    form.querySelectorAll('[data-builder-goto]').forEach((item) => {
      if (item.getAttribute('data-builder-goto') === all[index].getAttribute('data-builder-step')) {
        item.setAttribute('aria-current', 'step');
      } else {
        item.removeAttribute('aria-current');
      }
    });
    const back = form.querySelector('[data-builder-back]');
    const next = form.querySelector('[data-builder-next]');
    if (back) back.hidden = index === 0;
    if (next) next.hidden = index === all.length - 1;
    closePicker(form);
    if (focus) {
      const title = all[index].querySelector('.builder-step-title');
      if (title) title.focus();
      all[index].scrollIntoView({ block: 'nearest' });
    }
  }

  function currentIndex(form) {
    return steps(form).findIndex((step) => step.classList.contains('is-current'));
  }

  function move(form, delta) {
    const all = steps(form);
    const target = all[Math.min(all.length - 1, Math.max(0, currentIndex(form) + delta))];
    showStep(form, target.getAttribute('data-builder-step'), true);
  }

  // ---------------------------------------------------------------------------------------------
  // Request mode: one request, or steps as JSON.

  function mode(form) {
    const checked = form.querySelector('input[name="builder_mode"]:checked');
    return checked ? checked.value : form.getAttribute('data-builder-mode-current') || 'single';
  }

  function applyMode(form) {
    const current = mode(form);
    form.querySelectorAll('[data-builder-mode]').forEach((block) => {
      block.hidden = block.getAttribute('data-builder-mode') !== current;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Variable picker

  /** Paths below `value` in template syntax: `prefix.key`, `prefix["odd key"]`, `prefix.list[0]`. */
  function paths(value, prefix, depth, out) {
    if (depth > 4 || out.length >= 60) return out;
    if (Array.isArray(value)) {
      if (value.length) paths(value[0], `${prefix}[0]`, depth + 1, out);
      else out.push(prefix);
    } else if (value && typeof value === 'object') {
      const keys = Object.keys(value);
      if (!keys.length && depth > 0) out.push(prefix);
      keys.forEach((key) => {
        const bare = /^[^.\[\]"'{}| \u0000-\u001f\u007f]+$/.test(key) && key[0] !== '$';
        const step = bare ? `.${key}` : `[${JSON.stringify(key)}]`;
        paths(value[key], prefix + step, depth + 1, out);
      });
    } else if (depth > 0) {
      out.push(prefix);
    }
    return out;
  }

  function variables(form) {
    const words = (name) => (form.getAttribute(name) || '').split(/\s+/).filter(Boolean);
    const contact = words('data-builder-contact').map((field) => `contact.${field}`);
    const workspace = words('data-builder-workspace').map((field) => `workspace.${field}`);
    const sampleField = form.querySelector('[name="_sample"]');
    let input = [];
    let problem = '';
    try {
      const sample = JSON.parse((sampleField && sampleField.value.trim()) || '{}');
      input = paths(sample && sample.input, 'input', 0, []);
      paths(sample && sample.contact, 'contact', 0, []).forEach((name) => {
        if (!contact.includes(name)) contact.push(name);
      });
      if (!input.length) problem = 'Add fields under "input" in the sample values (last step) to pick them here.';
    } catch (err) {
      problem = 'The sample values (last step) are not valid JSON.';
    }
    return [
      { title: 'Contact', names: contact },
      { title: 'Workspace', names: workspace },
      { title: 'Input', names: input, problem },
    ];
  }

  /** The input a picker writes to, found afresh: a live check may have replaced the field since. */
  function pickerTarget(form, target) {
    const [kind, name] = target.split(':');
    if (kind === 'field') return form.querySelector(`[name="${name}"]`);
    const remembered = form.builderLastValue && form.builderLastValue[name];
    if (remembered && remembered.isConnected) return remembered;
    const values = form.querySelectorAll(`input[name="${name}[][value]"]`);
    return values[values.length - 1] || null;
  }

  function closePicker(form) {
    form.querySelectorAll('.builder-picker').forEach((panel) => panel.remove());
    form.querySelectorAll('[data-builder-picker][aria-expanded="true"]').forEach((button) =>
      button.setAttribute('aria-expanded', 'false')
    );
  }

  function openPicker(button) {
    const form = button.closest(FORM);
    const target = button.getAttribute('data-builder-picker');
    const wasOpen = !!form.querySelector(`.builder-picker[data-builder-picker-for="${target}"]`);
    closePicker(form);
    if (wasOpen) return;
    const panel = document.createElement('div');
    panel.className = 'builder-picker';
    panel.id = `builder-picker-${target.replace(/[^A-Za-z0-9_-]/g, '-')}`;
    panel.setAttribute('role', 'group');
    panel.setAttribute('aria-label', 'Variables');
    panel.setAttribute('data-builder-picker-for', target);
    variables(form).forEach((group) => {
      const row = document.createElement('div');
      row.className = 'builder-picker-group';
      const heading = document.createElement('p');
      heading.className = 'builder-picker-heading';
      heading.textContent = group.title;
      row.append(heading);
      group.names.forEach((name) => {
        const item = document.createElement('button');
        item.type = 'button';
        item.className = 'builder-picker-item';
        item.setAttribute('data-builder-variable', name);
        item.textContent = name;
        row.append(item);
      });
      if (group.problem) {
        const note = document.createElement('p');
        note.className = 'builder-picker-empty';
        note.textContent = group.problem;
        row.append(note);
      }
      panel.append(row);
    });
    // After the whole field, which a live check may swap while the panel is open.
    (button.closest('.field') || button).after(panel);
    button.setAttribute('aria-expanded', 'true');
    button.setAttribute('aria-controls', panel.id);
    const first = panel.querySelector('.builder-picker-item');
    if (first) first.focus();
  }

  /** Puts `{{name}}` where the cursor was (or over the selection) and leaves the cursor after it. */
  function insertVariable(item) {
    const form = item.closest(FORM);
    const panel = item.closest('.builder-picker');
    const input = pickerTarget(form, panel.getAttribute('data-builder-picker-for'));
    closePicker(form);
    if (!input) return;
    const text = `{{${item.getAttribute('data-builder-variable')}}}`;
    const caret = form.builderCaret;
    const known = caret && (caret.element === input || caret.name === input.name);
    const start = Math.min(known ? caret.start : input.value.length, input.value.length);
    const end = Math.min(known ? caret.end : start, input.value.length);
    input.focus();
    input.setRangeText(text, start, end, 'end');
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }

  function pickerButton(label, target, description) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-secondary btn-sm builder-picker-button';
    button.setAttribute('aria-expanded', 'false');
    button.setAttribute('aria-label', `Insert a variable into ${description}`);
    button.setAttribute('data-builder-picker', target);
    button.title = 'Insert a variable';
    button.textContent = label;
    return button;
  }

  function enhancePickers(root) {
    root.querySelectorAll(TEMPLATED).forEach((input) => {
      if (input.parentElement.classList.contains('builder-templated')) return;
      const wrap = document.createElement('div');
      wrap.className = 'builder-templated';
      input.before(wrap);
      wrap.append(input, pickerButton('{x}', `field:${input.name}`, labelOf(input)));
    });
    TEMPLATED_LISTS.forEach((name) => {
      const first = root.querySelector(`input[name="${name}[][value]"]`);
      const list = first && first.closest('[data-kv]');
      if (!list || list.querySelector('[data-builder-picker]')) return;
      const add = list.querySelector('[data-kv-add]');
      const button = pickerButton('{x} Insert variable', `list:${name}`, `a value of ${labelOf(first)}`);
      (add || list.lastElementChild).after(button);
    });
  }

  /** Remembers where the cursor was in a templated input, and which value of a list was last used. */
  function rememberCaret(event) {
    const input = event.target;
    const form = input.closest && input.closest(FORM);
    if (!form || !input.matches(`${TEMPLATED}, input[name$="[][value]"]`)) return;
    form.builderCaret = { element: input, name: input.name, start: input.selectionStart, end: input.selectionEnd };
    const list = input.name.replace(/\[\]\[value\]$/, '');
    if (list !== input.name) {
      form.builderLastValue = form.builderLastValue || {};
      form.builderLastValue[list] = input;
    }
  }

  function labelOf(input) {
    const field = input.closest('.field');
    const label = field && field.querySelector('.field-label');
    return label ? label.textContent.replace('*', '').trim() : input.name;
  }

  // ---------------------------------------------------------------------------------------------
  // Mapping a clicked response value

  function uniqueTarget(list, suggested) {
    let base = TARGET_PATTERN.test(suggested) ? suggested : 'value';
    const taken = new Set(Array.from(list.querySelectorAll('[data-builder-target]')).map((input) => input.value));
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}_${n}`;
    return name;
  }

  function mapValue(button) {
    const form = button.closest(FORM);
    const path = button.getAttribute('data-builder-path');
    const notify = (window.patchbay && window.patchbay.showToast) || function () {};
    if (mode(form) === 'steps') {
      notify(`Path ${path}: add it to a step's field_mappings.`, 'info');
      return;
    }
    const list = form.querySelector('[data-builder-mappings]');
    if (!list) return;
    const empty = (row) =>
      !row.querySelector('[data-builder-source]').value && !row.querySelector('[data-builder-target]').value;
    let row = Array.from(list.querySelectorAll('.kv-rows .kv-row')).find(empty);
    if (!row) {
      const add = list.querySelector('[data-kv-add]');
      if (add) add.click();
      const rows = list.querySelectorAll('.kv-rows .kv-row');
      row = rows[rows.length - 1];
    }
    if (!row) return;
    const target = row.querySelector('[data-builder-target]');
    row.querySelector('[data-builder-source]').value = path;
    target.value = uniqueTarget(list, button.getAttribute('data-builder-suggest') || '');
    row.classList.add('is-new');
    setTimeout(() => row.classList.remove('is-new'), 1500);
    button.classList.add('is-mapped');
    target.focus();
    target.select();
    notify(`Mapped ${path} to ${target.value}; rename the field if you like.`, 'success');
  }

  // ---------------------------------------------------------------------------------------------
  // Wiring

  function init(form) {
    if (forms.has(form)) return;
    forms.add(form);
    form.classList.add('builder-js');
    // The server checks everything and marks the step of each problem; the browser's own checks
    // could not show a field on a hidden step.
    form.noValidate = true;
    applyMode(form);
    enhancePickers(form);
    const failing = form.querySelector('[data-builder-step].has-errors');
    const first = failing || steps(form)[0];
    if (first) showStep(form, first.getAttribute('data-builder-step'), false);
  }

  function enhance(root) {
    if (!root || root.nodeType !== 1) return;
    if (root.matches(FORM)) init(root);
    root.querySelectorAll(FORM).forEach(init);
    const form = root.closest(FORM);
    if (form && root !== form) enhancePickers(root);
  }

  document.addEventListener('htmx:load', (event) => enhance(event.detail.elt || event.target));

  document.addEventListener('click', (event) => {
    const el = event.target.closest && event.target.closest(
      '[data-builder-goto],[data-builder-next],[data-builder-back],[data-builder-picker],[data-builder-variable],[data-builder-path]'
    );
    const form = el && el.closest(FORM);
    if (!form) return;
    if (el.matches('[data-builder-goto]')) showStep(form, el.getAttribute('data-builder-goto'), true);
    else if (el.matches('[data-builder-next]')) move(form, 1);
    else if (el.matches('[data-builder-back]')) move(form, -1);
    else if (el.matches('[data-builder-picker]')) openPicker(el);
    else if (el.matches('[data-builder-variable]')) insertVariable(el);
    else if (el.matches('[data-builder-path]')) mapValue(el);
  });

  document.addEventListener('focusout', rememberCaret);

  document.addEventListener('change', (event) => {
    const form = event.target.closest && event.target.closest(FORM);
    if (form && event.target.name === 'builder_mode') applyMode(form);
  });

  document.addEventListener('keydown', (event) => {
    if (event.key !== 'Escape') return;
    const panel = event.target.closest && event.target.closest('.builder-picker');
    if (!panel) return;
    // Escape closes the picker, not the modal around it.
    event.preventDefault();
    event.stopPropagation();
    const form = panel.closest(FORM);
    const button = form.querySelector(`[data-builder-picker="${panel.getAttribute('data-builder-picker-for')}"]`);
    closePicker(form);
    if (button) button.focus();
  }, true);

  function start() {
    enhance(document.body);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
