/**
 * The policy lab page: connect with the token, then try text and corpora against the loaded policy or
 * an edited copy of it. Every result comes from the service; the edited copy lives in this page only.
 */
import { ApiError, adoptTokenFromFragment, call, forgetToken, setToken } from './api.js';
import { renderAudit } from './audit.js';
import { linkMarksToCards, renderDecisions, renderEval, renderMarks } from './render.js';

const $ = (selector) => document.querySelector(selector);
const DEBOUNCE_MS = 250;

const state = { loaded: null, edited: false, timer: 0, generation: 0 };

function editedYaml() {
  return state.edited ? $('#policy-yaml').value : undefined;
}

function showPolicyStatus(message, isError) {
  const status = $('#policy-status');
  status.textContent = message;
  status.className = isError ? 'error' : 'ok';
}

/** Ask for the token again when the service refuses it. */
function handleError(err, where) {
  if (err instanceof ApiError && err.status === 401) {
    forgetToken();
    showTokenForm('The service did not accept that token.');
    return;
  }
  if (err instanceof ApiError && err.code === 'bad_policy') {
    showPolicyStatus(err.message, true);
    return;
  }
  where.textContent = err.message;
  where.className = 'error';
}

async function analyse() {
  const generation = ++state.generation;
  const text = $('#text').value;
  const body = { text, site: 'other' };
  const yaml = editedYaml();
  try {
    let findings;
    let explained;
    if (yaml === undefined) {
      // Marks from /v1/scan, the very answer the extension gets; reasons from /v1/explain.
      const [scan, explanation] = await Promise.all([call('POST', '/v1/scan', body), call('POST', '/v1/explain', body)]);
      findings = scan.findings;
      explained = explanation;
      $('#loaded-fingerprint').textContent = scan.policy; // changes when the service hot-reloads its policy
    } else {
      explained = await call('POST', '/v1/explain', { ...body, policy_yaml: yaml });
      findings = explained.findings;
      showPolicyStatus(`The edited copy is valid (${explained.policy}); it is used for this page only.`, false);
    }
    if (generation !== state.generation) return; // a newer keystroke's answer wins
    renderMarks($('#marked'), text, findings);
    renderDecisions($('#findings'), explained.explain.findings, false);
    renderDecisions($('#near-misses'), explained.explain.near_misses, true);
    $('#finding-count').textContent = `(${explained.explain.findings.length})`;
    $('#near-count').textContent = `(${explained.explain.near_misses.length})`;
  } catch (err) {
    if (generation === state.generation) handleError(err, $('#marked'));
  }
  if (generation === state.generation) $('#results').setAttribute('aria-busy', 'false');
}

function scheduleAnalysis() {
  $('#results').setAttribute('aria-busy', 'true');
  clearTimeout(state.timer);
  state.timer = setTimeout(analyse, DEBOUNCE_MS);
}

async function evaluateCorpus(file) {
  const status = $('#eval-status');
  status.className = '';
  status.textContent = `Evaluating ${file.name}…`;
  $('#eval').setAttribute('aria-busy', 'true');
  const yaml = editedYaml();
  try {
    const corpus = await file.text();
    const answer = await call('POST', '/v1/eval', yaml === undefined ? { corpus } : { corpus, policy_yaml: yaml });
    renderEval($('#eval'), answer, yaml === undefined ? ['loaded'] : ['loaded', 'edited']);
    status.textContent = `${file.name}: ${answer.posts} posts evaluated.`;
  } catch (err) {
    handleError(err, status);
  }
  $('#eval').setAttribute('aria-busy', 'false');
}

function choosePolicy(choice) {
  state.edited = choice === 'edited';
  $('#policy-yaml').hidden = !state.edited;
  $('#reset-policy').hidden = !state.edited;
  showPolicyStatus(state.edited ? 'Editing a copy; the loaded policy is unchanged.' : '', false);
  scheduleAnalysis();
}

async function connect() {
  try {
    state.loaded = await call('GET', '/v1/policy');
  } catch (err) {
    handleError(err, $('#connection'));
    return;
  }
  $('#token-form').hidden = true;
  $('#lab').hidden = false;
  $('#connection').textContent = 'Connected to the local Discreet service';
  $('#loaded-fingerprint').textContent = state.loaded.fingerprint;
  $('#policy-path').textContent = `Loaded from ${state.loaded.path}; roster files of an edited copy are read beside it.`;
  if (!$('#policy-yaml').value) $('#policy-yaml').value = state.loaded.yaml;
  scheduleAnalysis();
  refreshAudit();
}

async function refreshAudit() {
  $('#audit').setAttribute('aria-busy', 'true');
  try {
    renderAudit($('#audit'), await call('POST', `/v1/audit/report?days=${$('#audit-days').value}`, {}));
  } catch (err) {
    handleError(err, $('#audit'));
  }
  $('#audit').setAttribute('aria-busy', 'false');
}

function showTokenForm(message) {
  $('#lab').hidden = true;
  $('#token-form').hidden = false;
  $('#token-error').textContent = message ?? '';
  $('#token').focus();
}

function wire() {
  linkMarksToCards($('#marked'), $('#findings'));
  $('#token-form').addEventListener('submit', (e) => {
    e.preventDefault();
    setToken($('#token').value);
    $('#token').value = '';
    connect();
  });
  $('#text').addEventListener('input', scheduleAnalysis);
  $('#policy-yaml').addEventListener('input', scheduleAnalysis);
  for (const radio of document.querySelectorAll('input[name="policy"]')) {
    radio.addEventListener('change', () => choosePolicy(radio.value));
  }
  $('#reset-policy').addEventListener('click', () => {
    $('#policy-yaml').value = state.loaded.yaml;
    scheduleAnalysis();
  });
  $('#audit-refresh').addEventListener('click', refreshAudit);
  $('#audit-days').addEventListener('change', refreshAudit);
  $('#corpus-file').addEventListener('change', (e) => {
    const [file] = e.target.files;
    if (file) evaluateCorpus(file);
  });
}

wire();
adoptTokenFromFragment().then((token) => (token ? connect() : showTokenForm('Open the lab with `discreet lab`, or enter the admin token.')));
