/** The real Discreet service (`discreet serve`) on a free loopback port, for end-to-end tests. */
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const DISCREET = process.env.DISCREET_BIN || fileURLToPath(new URL('../../../.venv/bin/discreet', import.meta.url));
export const TEST_POLICY = fileURLToPath(new URL('../fixtures/policy/policy.yaml', import.meta.url));

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, deadline) {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`discreet serve exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/v1/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('discreet serve did not answer /v1/health in time');
}

/**
 * Start `discreet serve`; `allowOrigins` are the extension origins it admits without pairing.
 * Returns {url, port, token, tokenFile, stop(), restart(), dispose(), pairCode()}.
 */
export async function startService({ allowOrigins = [], policy = TEST_POLICY, audit = [] } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'discreet-service-'));
  const tokenFile = join(dir, 'token');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child;
  let stderr = '';
  const start = async () => {
    const args = ['serve', '--policy', policy, '--port', String(port), '--token-file', tokenFile];
    for (const origin of allowOrigins) args.push('--allow-origin', origin);
    for (const sink of audit) args.push('--audit', sink);
    child = spawn(DISCREET, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_STATE_HOME: dir } });
    child.stderr.on('data', (d) => { stderr += d; });
    await waitForHealth(url, child, Date.now() + 60_000).catch((err) => {
      child.kill();
      throw new Error(`${err.message}\n${stderr}`);
    });
  };
  const stop = async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    port,
    tokenFile,
    token: async () => (await readFile(tokenFile, 'utf8')).trim(),
    stop,
    /** Stop for good and remove the token file, config and pairings. */
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
    restart: start,
    /** One scan straight to the service with the token (e.g. to warm its models before timing-sensitive tests). */
    scan: async (text) => {
      const res = await fetch(`${url}/v1/scan`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${(await readFile(tokenFile, 'utf8')).trim()}` },
        body: JSON.stringify({ text, site: 'other' }),
      });
      if (!res.ok) throw new Error(`scan answered ${res.status}`);
      return res.json();
    },
    stderr: () => stderr,
    /**
     * `discreet native-host` for this service, as the installer registers it: a wrapper the browser starts,
     * reading this user's config (port and token file). Returns the wrapper's path.
     */
    nativeHost: async () => {
      await mkdir(join(dir, 'discreet'), { recursive: true });
      await writeFile(join(dir, 'discreet', 'config.toml'), `port = ${port}\ntoken_file = ${JSON.stringify(tokenFile)}\n`);
      const script = join(dir, 'native-host.sh');
      await writeFile(script, `#!/bin/sh\nXDG_CONFIG_HOME='${dir}' XDG_DATA_HOME='${dir}' XDG_STATE_HOME='${dir}' exec '${DISCREET}' native-host "$@"\n`);
      await chmod(script, 0o755);
      return script;
    },
    /** A one-time pairing code from `discreet pair`, as a user would get it. */
    pairCode: async () => {
      const { stdout } = await promisify(execFile)(DISCREET, ['pair', '--port', String(port), '--token-file', tokenFile],
        { env: { ...process.env, XDG_CONFIG_HOME: dir, XDG_DATA_HOME: dir, XDG_STATE_HOME: dir } });
      const code = stdout.match(/\b[A-Z0-9]{4}-?[A-Z0-9]{4}\b/);
      if (!code) throw new Error('discreet pair printed no code');
      return code[0];
    },
  };
}
