// Peer for scenarios 2 and 3: a minimal Node 'ws' push server of askd's shape, no storage.
// POST /alert -> broadcast the body to every WS client connected on /ws -> 202. Clients on any other
// path (the benchmark's idle dashboards use /idle) are held but never sent anything, as askd's idle
// dashboards in another office are. Any other request (the background load posts to /webhook) -> 200.
// Copied from the reference measurements (performance.md 4.4); the /ws-only broadcast is the one change.
const http = require('http'); const WebSocket = require('ws');
const port = +(process.argv[2] || 18090);
const wss = new WebSocket.Server({ noServer: true, perMessageDeflate: false });
const dashboards = new Set();
const srv = http.createServer((req, res) => {
  if (req.method === 'POST' && req.url === '/alert') {
    const chunks = []; req.on('data', c => chunks.push(c)); req.on('end', () => {
      const body = Buffer.concat(chunks);
      for (const c of dashboards) if (c.readyState === 1) c.send(body, { binary: false });
      res.writeHead(202, { 'content-type': 'application/json' }); res.end('{"ok":true}');
    });
  } else { req.resume(); req.on('end', () => { res.writeHead(200); res.end('ok\n'); }); }
});
srv.on('upgrade', (req, sock, head) => wss.handleUpgrade(req, sock, head, ws => {
  if (req.url === '/ws') { dashboards.add(ws); ws.on('close', () => dashboards.delete(ws)); }
}));
srv.keepAliveTimeout = 60000; srv.listen(port, '127.0.0.1');
