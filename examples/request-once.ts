// A one-shot request for tools and tests that have no frame loop (not for a game: it runs a frame loop of its own).
import { requestOnce, Result } from 'tickhttp';

const origin = process.argv[2] ?? 'https://example.com';
const { result, responseCode, body, error } = await requestOnce(`${origin}/health`, { timeout: 10 });
if (result === Result.SUCCESS) console.log('health', responseCode, body.length, 'bytes');
else {
  console.error('health', Result[result], error);
  process.exitCode = 1;
}
