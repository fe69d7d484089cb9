/**
 * A program squatting on the service's port (issue 12 §2): it records every byte it receives and answers
 * POST /v1/hello as `mode` says: "wrong" (a proof it cannot make right without the token), "silent"
 * (never answers), or "not-found" (a server with no /v1/hello). Anything else gets a 200 that would
 * accept a token or text, so that receiving one would show.
 */
import { createServer } from 'node:net';

function respond(socket, status, body) {
  const data = JSON.stringify(body);
  socket.write(`HTTP/1.1 ${status} X\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(data)}\r\n\r\n${data}`);
}

/** Listen on 127.0.0.1:`port`; returns {url, mode, raw(), requests, close()}. */
export async function startSquatter(port, mode = 'wrong') {
  const chunks = [];
  const requests = [];
  const sockets = new Set();
  const state = { mode };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let pending = Buffer.alloc(0);
    socket.on('data', (data) => {
      chunks.push(data);
      pending = Buffer.concat([pending, data]);
      for (;;) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = pending.subarray(0, end).toString('latin1');
        const length = Number(/content-length:\s*(\d+)/i.exec(head)?.[1] ?? 0);
        if (pending.length < end + 4 + length) return;
        pending = pending.subarray(end + 4 + length);
        const [method, path] = head.split(' ');
        requests.push({ method, path });
        if (path !== '/v1/hello') respond(socket, 200, { findings: [], policy: 'squatter', fingerprint: 'squatter', categories: [], accepted: 1 });
        else if (state.mode === 'wrong') respond(socket, 200, { proof: 'ab'.repeat(32), version: '0.1.0' });
        else if (state.mode === 'not-found') respond(socket, 404, { error: { code: 'not_found', message: 'no such endpoint' } });
        // silent: never answers
      }
    });
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    /** Every byte received, as one string. */
    raw: () => Buffer.concat(chunks).toString('utf8'),
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(resolve);
    }),
  };
}
