// The shape every benchmark case reports, as written to bench/results.json (the ids are the issues' ids).
export interface BenchResult {
  /** Stable id named by an issue, e.g. "test.roundtrips.cold". */
  id: string;
  value: number;
  /** "ratio", "ms", "count", "kb", "per_s" … */
  unit: string;
  /** Human-readable target, e.g. "<= 1.5" or "= 2". */
  target: string;
  ok: boolean;
}

export interface BenchOptions {
  /** The quick run inside `npm test`: fewer iterations, same ids. Figures are not judged there. */
  small: boolean;
}

/** A benchmark case lives in bench/cases/<area>.ts and exports `run` of this type. */
export type BenchCase = (options: BenchOptions) => Promise<BenchResult[]>;
