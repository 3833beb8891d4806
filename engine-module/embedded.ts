// The embedded entry: platform neutral. The host installs its platform with setPlatform(createHostPlatform(...)).
export * from './index.js';
