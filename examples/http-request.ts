// Godot's HTTPRequest node without ECS: a listener for one request, `await` for another, a download to a file;
// every node is stepped by one updateHttpRequests() per frame of the game's loop.
import { closeIdleConnections, HTTPRequest, Method, Result, Status, updateHttpRequests } from 'tickhttp';

const origin = process.argv[2] ?? 'https://example.com';

// The game's frame loop: one call steps every node with a request in flight.
const timer = setInterval(() => {
  updateHttpRequests();
  if (level.getHttpClientStatus() === Status.DISCONNECTED && api.getHttpClientStatus() === Status.DISCONNECTED) {
    clearInterval(timer);
    closeIdleConnections(); // kept-alive sockets would keep the process running
  }
}, 1000 / 60);

const level = new HTTPRequest();
level.downloadFile = 'level1.pak';
level.requestCompleted.connect((result, responseCode) => {
  if (result === Result.SUCCESS) console.log('level1.pak', responseCode, level.getDownloadedBytes(), 'bytes on disk');
  else fail(`level1.pak: ${Result[result]} ${level.getLastError()}`);
});
level.request(`${origin}/level1.pak`);

const api = new HTTPRequest();
api.timeout = 10; // seconds, as in Godot
async function postScore(score: number): Promise<void> {
  api.request(`${origin}/scores`, ['Content-Type: application/json'], Method.POST, JSON.stringify({ score }));
  const [result, responseCode, , body] = await api.requestCompleted; // Godot 4: await http_request.request_completed
  if (result === Result.SUCCESS) console.log('scores', responseCode, new TextDecoder().decode(body));
  else fail(`scores: ${Result[result]} ${api.getLastError()}`);
}
void postScore(1234);

function fail(message: string): void {
  console.error(message);
  process.exitCode = 1;
}
