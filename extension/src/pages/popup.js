/** Toolbar popup: connected / not connected / paused, with the pause switch. */
import { ext } from '../shared/browser.js';
import { MSG } from '../shared/messages.js';

const $ = (id) => document.getElementById(id);

async function render() {
  const [tab] = await ext.tabs.query({ active: true, currentWindow: true });
  const s = await ext.runtime.sendMessage({ type: MSG.STATUS, tabId: tab?.id });
  const state = s.paused ? 'paused' : s.connected && s.paired && s.proven ? 'connected' : 'not-connected';
  $('state').dataset.state = state;
  $('state').textContent = { connected: 'Connected', 'not-connected': 'Not connected', paused: 'Paused' }[state];
  $('detail').textContent = s.paused ? 'Posts are not being checked.'
    : !s.connected ? `The Discreet service at ${s.serviceUrl} is not answering. Is it running?`
      : !s.paired ? 'The service is running, but this browser is not paired yet. Open the settings to pair.'
        : !s.proven ? `The program at ${s.serviceUrl} could not prove it is the Discreet service. Posts are not checked.`
        : `Checking posts on this computer. ${s.findings} finding(s) on this tab.`;
  $('paused').checked = s.paused;
}

$('paused').addEventListener('change', async (e) => {
  await ext.storage.local.set({ paused: e.target.checked });
  await render();
});
render();
