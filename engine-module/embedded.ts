// The embedded entry: platform neutral. The host installs its platform with
// `tickhttp.setPlatform(tickhttp.createHostPlatform(bridge))`.
export * from './index.js';
export { createHostPlatform } from './platform/host.js';
export type { HostBridge, HostBytes, HostCrypto, HostSignatureName } from './platform/host.js';
// The bitecs the ECS systems run on, for scripts that have no module loader of their own: one copy, so worlds,
// entities and queries made by the script are the ones the HTTP systems see.
export * as bitecs from 'bitecs';
