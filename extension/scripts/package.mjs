/** Pack the built dist/ into web-ext-artifacts/: discreet-<version>-chrome.zip and discreet-<version>.xpi. */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const { version } = JSON.parse(await readFile(`${root}dist/manifest.json`, 'utf8'));
const webExt = `${root}node_modules/.bin/web-ext`;

for (const filename of [`discreet-${version}-chrome.zip`, `discreet-${version}.xpi`]) {
  execFileSync(webExt, ['build', '--source-dir', 'dist', '--artifacts-dir', 'web-ext-artifacts', '--filename', filename, '--overwrite-dest'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  console.log(`web-ext-artifacts/${filename}`);
}
