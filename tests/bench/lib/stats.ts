/** Percentiles and formatting for the benchmarks. */

/** Nearest-rank percentile of an array (sorted in place). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  values.sort((a, b) => a - b);
  const rank = Math.min(values.length - 1, Math.max(0, Math.ceil((p / 100) * values.length) - 1));
  return values[rank]!;
}

export function summary(values: number[]): { p50: number; p99: number; max: number; n: number } {
  const copy = [...values];
  return { p50: percentile(copy, 50), p99: percentile(copy, 99), max: percentile(copy, 100), n: copy.length };
}

export const ms = (v: number) => `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ms`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const ratio = (value: number, baseline: number) => `${(value / baseline).toFixed(2)}×`;
export const sleep = (msec: number) => new Promise((r) => setTimeout(r, msec));
