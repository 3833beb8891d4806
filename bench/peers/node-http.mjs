// Node's own http and https modules with a keep-alive agent limited to one socket.
import http from 'node:http';
import https from 'node:https';

function nodeClient(name, module, agent, port) {
  return {
    name,
    get(path) {
      return new Promise((resolve, reject) => {
        const req = module.get({ host: '127.0.0.1', port, path, agent }, (res) => {
          if (res.statusCode !== 200) reject(new Error(`${name}: status ${res.statusCode} for ${path}`));
          let n = 0;
          res.on('data', (chunk) => { n += chunk.length; });
          res.on('end', () => resolve(n));
          res.on('error', reject);
        });
        req.on('error', reject);
      });
    },
    close: () => agent.destroy(),
  };
}

/** Node's http module on one keep-alive socket. */
export function nodeHttpClient(port) {
  return nodeClient('node http', http, new http.Agent({ keepAlive: true, maxSockets: 1 }), port);
}

/** Node's https module on one keep-alive socket, trusting `rootPem`. */
export function nodeHttpsClient(port, rootPem) {
  return nodeClient('node https', https, new https.Agent({ keepAlive: true, maxSockets: 1, ca: rootPem }), port);
}
