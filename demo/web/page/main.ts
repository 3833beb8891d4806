// The page's script (bundled to demo-page.js): the web platform installed on import, then the demo.
import '../../../engine-module/web.js';
import { startPage } from './app.js';

startPage(document.getElementById('demo')!, window);
