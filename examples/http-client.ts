// Godot's HTTPClient: one poll() per frame, the body read as it arrives, the connection closed at the end.
import { HTTPClient, Method, Status } from 'tickhttp';

const url = new URL(process.argv[2] ?? 'https://example.com/');
const http = new HTTPClient();
http.connectToHost(url.hostname, url.port ? Number(url.port) : -1, url.protocol === 'https:');
let sent = false;
const chunks: Uint8Array[] = [];

function frame(): void {
  http.poll();
  switch (http.getStatus()) {
    case Status.CONNECTED:
      if (!sent) {
        http.request(Method.GET, url.pathname, ['Accept: text/html']);
        sent = true;
      } else {
        end(); // the response was read; the connection is kept alive
      }
      break;
    case Status.BODY:
      chunks.push(http.readResponseBodyChunk()); // empty when nothing arrived yet
      break;
    case Status.DISCONNECTED: // the server closed after the response
      if (sent) end();
      break;
    case Status.CANT_RESOLVE:
    case Status.CANT_CONNECT:
    case Status.CONNECTION_ERROR:
    case Status.SSL_HANDSHAKE_ERROR:
      end(`${Status[http.getStatus()]}: ${http.getLastError() ?? http.getTlsError()}`);
      break;
  }
}

const timer = setInterval(frame, 1000 / 60);
function end(failure?: string): void {
  if (failure !== undefined) {
    console.error(failure);
    process.exitCode = 1;
  } else console.log(`${http.getResponseCode()}: ${chunks.reduce((n, c) => n + c.length, 0)} bytes`);
  clearInterval(timer);
  http.close(); // without it a kept-alive socket holds the process open
}
