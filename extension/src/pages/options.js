/** Options page: service address (loopback only), pairing, guard mode, policy link, replacements, extra sites. */
import { ext } from '../shared/browser.js';
import { MSG } from '../shared/messages.js';
import { loopbackOrigin } from '../shared/settings.js';

const $ = (id) => document.getElementById(id);
const FIELDS = ['serviceUrl', 'mode', 'failMode', 'policyLink', 'allowPostAnyway'];
let current;

function setField(id, value) {
  const el = $(id);
  if (el.type === 'checkbox') el.checked = Boolean(value);
  else el.value = value ?? '';
}

function fieldValue(id) {
  const el = $(id);
  return el.type === 'checkbox' ? el.checked : el.value.trim();
}

function renderSites(sites, locked) {
  $('sites').replaceChildren(...sites.map((pattern) => {
    const li = document.createElement('li');
    li.textContent = `${pattern} `;
    if (!locked) {
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.textContent = 'Remove';
      remove.addEventListener('click', async () => {
        await ext.storage.local.set({ extraSites: current.values.extraSites.filter((p) => p !== pattern) });
        await ext.permissions.remove({ origins: [pattern] }).catch(() => {});
        await load();
      });
      li.append(remove);
    }
    return li;
  }));
}

async function load() {
  current = await ext.runtime.sendMessage({ type: MSG.SETTINGS });
  const { values, locked } = current;
  for (const id of FIELDS) {
    setField(id, values[id]);
    $(id).disabled = locked.includes(id);
  }
  for (const lock of document.querySelectorAll('[data-lock]')) lock.hidden = !locked.includes(lock.dataset.lock);
  $('managed-note').hidden = !locked.length;
  // One row per category of the policy (the service's list, including the policy's own, e.g. "deal"),
  // plus any the user overrode that the policy no longer has. Empty = the policy's replacement.
  const reply = await ext.runtime.sendMessage({ type: MSG.CATEGORIES }).catch(() => null);
  const policy = reply?.ok ? reply.categories : [];
  const names = [...new Set([...policy.map((c) => c.name), ...Object.keys(values.replacements)])];
  $('replacements-note').hidden = reply?.ok ?? false;
  $('replacements').replaceChildren(...names.map((category) => {
    const known = policy.find((c) => c.name === category);
    const row = document.createElement('div');
    row.className = 'row';
    const label = document.createElement('label');
    label.htmlFor = `replacement-${category}`;
    label.textContent = known ? `${category} (${known.label})` : category;
    const input = document.createElement('input');
    input.id = `replacement-${category}`;
    input.dataset.category = category;
    input.placeholder = known?.replacement ?? '';
    input.value = values.replacements[category] ?? '';
    row.append(label, input);
    return row;
  }));
  renderSites(values.extraSites, locked.includes('extraSites'));
  $('site').disabled = locked.includes('extraSites');
  const status = await ext.runtime.sendMessage({ type: MSG.STATUS });
  $('connection').textContent = !status.connected ? `Not connected: nothing answers at ${status.serviceUrl}.`
    : !status.paired ? `The service at ${status.serviceUrl} is running; pair this browser below.`
      : status.proven ? `Connected to the Discreet service ${status.version ?? ''} at ${status.serviceUrl}.`
        : `Not connected: the program at ${status.serviceUrl} could not prove it is the Discreet service.`;
  $('connection').dataset.state = status.connected && status.paired && status.proven ? 'connected' : 'not-connected';
}

async function save() {
  const changes = {};
  for (const id of FIELDS) if (!current.locked.includes(id)) changes[id] = fieldValue(id);
  try {
    if ('serviceUrl' in changes) {
      try {
        changes.serviceUrl = loopbackOrigin(changes.serviceUrl);
      } catch (err) {
        throw new Error(`the service address ${err.message}`);
      }
    }
    if (changes.policyLink && !/^https?:\/\//.test(changes.policyLink)) throw new Error('the policy link must start with https://');
  } catch (err) {
    $('saved').textContent = `Not saved: ${err.message}.`;
    $('saved').className = 'error';
    return false;
  }
  // Keep only the user's own overrides: an empty field, or the policy's own text, is no override.
  changes.replacements = Object.fromEntries([...document.querySelectorAll('[data-category]')]
    .map((input) => [input.dataset.category, input.value.trim(), input.placeholder])
    .filter(([, text, policyText]) => text && text !== policyText)
    .map(([category, text]) => [category, text]));
  await ext.storage.local.set(changes);
  $('saved').textContent = 'Saved.';
  $('saved').className = '';
  await load();
  return true;
}

$('save').addEventListener('click', save);

$('pair-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!(await save())) return;
  $('pair-result').textContent = 'Pairing…';
  const reply = await ext.runtime.sendMessage({ type: MSG.PAIR, code: $('pair-code').value });
  $('pair-result').textContent = reply.ok ? reply.message : `Not paired: ${reply.message}`;
  $('pair-result').className = reply.ok ? '' : 'error';
  if (reply.ok) $('pair-code').value = '';
  await load();
});

$('site-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const pattern = $('site').value.trim();
  if (!/^https?:\/\/[^/]+\/.*$/.test(pattern)) {
    $('saved').textContent = 'A site pattern looks like https://intranet.example.com/*';
    $('saved').className = 'error';
    return;
  }
  // Asked from the click itself: browsers grant optional permissions only on a user gesture.
  if (!(await ext.permissions.request({ origins: [pattern] }))) return;
  await ext.storage.local.set({ extraSites: [...new Set([...current.values.extraSites, pattern])] });
  $('site').value = '';
  await load();
});

load();
