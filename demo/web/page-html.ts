/**
 * The demo page's HTML: its layout and style, and a first line of text that stays in place until the script takes
 * over, so a page whose script cannot load or run still says so in words.
 */

/** The file name the page loads its bundled script from (built next to the demo bundle). */
export const PAGE_SCRIPT = 'demo-page.js';

const STYLE = `
  :root { color-scheme: dark; }
  body { margin: 0; background: #070a14; color: #d8deef; font: 14px/1.45 system-ui, sans-serif; }
  #demo { max-width: 1040px; margin: 0 auto; padding: 14px 18px; display: flex; flex-direction: column; gap: 10px; }
  header { display: flex; align-items: baseline; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
  h1 { margin: 0; font-size: 22px; color: #4fd6ff; }
  h1 .dim { font-size: 14px; font-weight: normal; }
  h2 { margin: 0 0 6px; font-size: 15px; }
  .dim, .where { color: #8b95b0; }
  .where { font-size: 12px; }
  .panel { background: #0f1526; border: 1px solid #1f2a44; border-radius: 8px; padding: 10px 12px; }
  table { border-collapse: collapse; width: 100%; }
  td { padding: 2px 8px 2px 0; white-space: nowrap; }
  td.name { font-weight: 600; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; }
  .bar { width: 230px; height: 10px; background: #1b2440; border-radius: 5px; overflow: hidden; }
  .fill { height: 100%; width: 0; background: #4fd6ff; }
  .fill.checking { background: #9f8cff; }
  .fill.verified { background: #46d08a; }
  .fill.failed { background: #ff5d5d; }
  .state.verified { color: #46d08a; }
  .state.failed { color: #ff5d5d; font-weight: 600; }
  .state.checking { color: #9f8cff; }
  .middle { display: flex; gap: 10px; align-items: stretch; }
  .field canvas { display: block; border-radius: 4px; }
  .hud { margin-top: 6px; font-variant-numeric: tabular-nums; }
  .side { flex: 1; min-width: 0; }
  .board tr.mine td { background: #3a3210; color: #ffd45c; font-weight: 700; }
  .legend { margin: 4px 0; }
  .icon { display: inline-block; width: 12px; height: 12px; border-radius: 50%; vertical-align: -1px; }
  .icon.coin { background: #ffd45c; }
  .icon.rock { background: #8a6f66; border-radius: 2px; outline: 1px solid #ff5d5d; }
  .icon.heart { background: #ff6ad5; }
  .stats { font-variant-numeric: tabular-nums; }
  .status { border-radius: 8px; padding: 10px 12px; background: #0f1526; border: 1px solid #1f2a44; }
  .status .message { font-weight: 600; }
  .status .hint { color: #c9b6b6; }
  .status.ok { border-color: #2d7a52; color: #46d08a; }
  .status.error { border-color: #a33; background: #2a0f14; color: #ff8080; }
`;

/** The whole page. */
export const PAGE_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>tickhttp demo</title>
<style>${STYLE}</style>
<script>
  // Until the demo's script runs, any error (the script missing, a syntax error) is shown in place of the page.
  addEventListener('error', function (event) {
    var first = document.getElementById('starting');
    if (first) first.textContent = 'The demo could not start: ' +
      (event.message || 'its script ${PAGE_SCRIPT} did not load (is the demo server still running?)');
  }, true);
</script>
<script type="module" src="/${PAGE_SCRIPT}"></script>
</head>
<body>
<main id="demo"><p id="starting" class="status">Starting the tickhttp demo… (this line stays only when JavaScript is
off or the page's script did not load)</p></main>
</body>
</html>
`;
