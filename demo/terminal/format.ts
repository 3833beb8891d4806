/** Number formats shared by the live screen and the log lines. */

/** Bytes as B, KiB or MiB with one decimal. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

/** Throughput in MB/s (10^6 bytes per second), one decimal. */
export function formatRate(bytes: number, ms: number): string {
  return ms <= 0 ? '-' : `${(bytes / 1000 / ms).toFixed(1)} MB/s`;
}

export function formatMs(ms: number): string {
  return `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
}
