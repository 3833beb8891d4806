// QuickJS on host crypto: the TLS matrix in both modes and a 16 MiB download byte-exact in each.
import { describeHostCrypto } from './host-crypto-suite.js';

describeHostCrypto('quickjs', { largeBody: 16 * 1024 * 1024 });
