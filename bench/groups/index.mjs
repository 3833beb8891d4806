// The benchmark groups in the order they run (--only=name,... picks some).
import * as plain from './plain.mjs';
import * as chunked from './chunked.mjs';
import * as keepalive from './keepalive.mjs';
import * as ecs60hz from './ecs60hz.mjs';
import * as https from './https.mjs';
import * as handshake from './handshake.mjs';
import * as idleTick from './idle-tick.mjs';
import * as rss from './rss.mjs';
import * as bundle from './bundle.mjs';
import * as demo from './demo.mjs';
import * as godot from './godot.mjs';
import * as browser from './browser.mjs';
import * as embedded from './embedded.mjs';

export const GROUPS = [
  { name: 'plain', run: plain.run },
  { name: 'chunked', run: chunked.run },
  { name: 'keepalive', run: keepalive.run },
  { name: 'ecs60hz', run: ecs60hz.run },
  { name: 'https', run: https.run },
  { name: 'godot', run: godot.run },
  { name: 'handshake', run: handshake.run },
  { name: 'idle', run: idleTick.run },
  { name: 'rss', run: rss.run },
  { name: 'bundle', run: bundle.run },
  { name: 'demo', run: demo.run },
  { name: 'browser', run: browser.run },
  { name: 'embedded', run: embedded.run },
];
