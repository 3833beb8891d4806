// The same embedded tests in QuickJS-ng (the maintained fork), and its TLS matrix on host crypto (small bodies).
import { describeEmbedded } from './embedded-suite.js';
import { describeHostCrypto } from './host-crypto-suite.js';

describeEmbedded('quickjs-ng');
describeHostCrypto('quickjs-ng');
