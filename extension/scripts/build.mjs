/** Build the unpacked extension into dist/ (loads as is in Chrome, Edge and Firefox). */
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { HIGHLIGHT_CSS } from '../src/content/css.js';

const root = fileURLToPath(new URL('..', import.meta.url));
export const DIST = `${root}dist`;

const ENTRIES = {
  content: 'src/content/main.js',
  background: 'src/background/main.js',
  popup: 'src/pages/popup.js',
  options: 'src/pages/options.js',
};

export async function build() {
  await rm(DIST, { recursive: true, force: true });
  await mkdir(DIST, { recursive: true });
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(ENTRIES)),
    outdir: DIST,
    bundle: true,
    format: 'iife',
    target: ['chrome120', 'firefox140'],
    legalComments: 'none',
    logLevel: 'warning',
  });
  await cp(`${root}static`, DIST, { recursive: true });
  await writeFile(`${DIST}/content.css`, HIGHLIGHT_CSS.trimStart());
  await cp(`${root}manifest.json`, `${DIST}/manifest.json`);
  await cp(`${root}managed_schema.json`, `${DIST}/managed_schema.json`);
  return DIST;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await build();
