// The embedded bundle in QuickJS: loading bare, HTTP, HTTPS on the pure provider, a bitecs world.
import { describeEmbedded } from './embedded-suite.js';

describeEmbedded('quickjs');
