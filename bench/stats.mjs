// Medians with their spread: every figure that is not a same-run ratio is a median of several runs.

/** `{ median, min, max, runs }` of a list of numbers; null for an empty list. */
export function summarize(values) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values };
}

/** a / b of two summaries' medians, or null when either is missing. */
export function ratio(a, b) {
  return a && b && b.median > 0 ? a.median / b.median : null;
}

/** Megabytes (10^6 bytes) per second. */
export function mbps(bytes, ms) {
  return bytes / 1e6 / (ms / 1000);
}
