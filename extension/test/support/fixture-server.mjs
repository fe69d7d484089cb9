/**
 * The HTTPS fixture server: real Quill and Draft.js editors bundled from npm, served under LinkedIn's
 * and X's host names (the browser maps them here), with a certificate made for this run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const MODULES = fileURLToPath(new URL('../../node_modules/', import.meta.url));

export const HOSTS = Object.freeze({ linkedin: 'www.linkedin.com', x: 'x.com', other: 'evil.example' });

const ROUTES = {
  [`${HOSTS.linkedin}/`]: 'pages/linkedin.html',
  [`${HOSTS.linkedin}/textarea`]: 'pages/textarea.html',
  [`${HOSTS.linkedin}/feed/`]: 'pages/linkedin-shell.html',
  [`${HOSTS.x}/`]: 'pages/x.html',
  [`${HOSTS.x}/compose/post`]: 'pages/x-compose.html',
  [`${HOSTS.other}/`]: 'pages/evil.html',
};

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };

async function bundleFixtures(outdir) {
  await esbuild.build({
    absWorkingDir: FIXTURES,
    entryPoints: ['src/linkedin.js', 'src/linkedin-shell.js', 'src/x.jsx', 'src/x-compose.jsx', 'src/textarea.js', 'src/evil.js'],
    outdir,
    bundle: true,
    format: 'iife',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    logLevel: 'warning',
  });
}

function makeCertificate(dir) {
  const names = Object.values(HOSTS).map((h) => `DNS:${h}`).join(',');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=discreet-fixtures',
    '-addext', `subjectAltName=${names},IP:127.0.0.1`,
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
  ], { stdio: 'ignore' });
}

/** Start the server on a free loopback port; `requests` records every request it got (host + path). */
export async function startFixtureServer() {
  const dir = await mkdtemp(join(tmpdir(), 'discreet-fixtures-'));
  await bundleFixtures(dir);
  makeCertificate(dir);
  const assets = {
    'quill.core.css': join(MODULES, 'quill/dist/quill.core.css'),
    'Draft.css': join(MODULES, 'draft-js/dist/Draft.css'),
    'site.css': join(FIXTURES, 'pages/site.css'),
    'linkedin.js': join(dir, 'linkedin.js'),
    'linkedin-shell.js': join(dir, 'linkedin-shell.js'),
    'x.js': join(dir, 'x.js'),
    'x-compose.js': join(dir, 'x-compose.js'),
    'textarea.js': join(dir, 'textarea.js'),
    'evil.js': join(dir, 'evil.js'),
  };
  const requests = [];
  const server = createServer({ key: await readFile(join(dir, 'key.pem')), cert: await readFile(join(dir, 'cert.pem')) }, async (req, res) => {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '');
    const path = new URL(req.url, 'https://x').pathname;
    requests.push({ host, path });
    const file = path.startsWith('/assets/') ? assets[path.slice(8)] : ROUTES[`${host}${path}`] && join(FIXTURES, ROUTES[`${host}${path}`]);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(await readFile(file));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    port,
    requests,
    url: (site, path = '/') => `https://${HOSTS[site]}${path}`,
    close: async () => {
      await new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
      await rm(dir, { recursive: true, force: true });
    },
  };
}
