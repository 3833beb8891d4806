/** What a failure means for the person looking at the page, from the failure's own words. */
export function failureHint(error: string, serverUrl: string, origin: string): string {
  if (/RESULT_CANT_CONNECT|RESULT_CANT_RESOLVE|RESULT_CONNECTION_ERROR|fetch failed/.test(error)) {
    return `The backend at ${serverUrl} could not be reached from this page: it is not running (was ` +
      '`npm run demo -- --web` stopped?), or it refused this page\'s origin ' + `${origin} (CORS). A browser does not ` +
      'tell a page which one it was; its developer console does.';
  }
  if (/sha256/.test(error)) {
    return 'An asset arrived with other bytes than the manifest lists: it was damaged on the way, or the server ' +
      'serves different files than it announces. The game does not start on damaged assets.';
  }
  if (/RESULT_TIMEOUT/.test(error)) return `The backend at ${serverUrl} stopped answering.`;
  return '';
}
