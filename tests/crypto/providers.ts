// Both providers, so every vector test runs against each.

import { pureCrypto } from '../../engine-module/tls/crypto/pure.js';
import { nodeCrypto } from '../../engine-module/platform/node-crypto.js';

export const PROVIDERS = [pureCrypto, nodeCrypto] as const;
