// Timing primitives: calibrate a loop to a sample length, then time every subject once per round,
// in an order that rotates each round, and keep the median. Machines are shared and noisy, so only
// medians and same-round ratios are reported, never single samples.
//
// A subject is { id, run(n) } where run(n) performs the operation n times in its OWN loop (written
// out literally at its own source position: closures made from one function literal share V8
// feedback, so a generic loop wrapper would turn every call site megamorphic).

const hrnow = () => process.hrtime.bigint();

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function quantile(values, q) {
  const s = [...values].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export const gc = () => {
  if (typeof globalThis.gc !== 'function') throw new Error('run node with --expose-gc');
  globalThis.gc();
};

/** Nanoseconds per operation of one run(n). */
function timeOnce(subject, n) {
  const t0 = hrnow();
  subject.run(n);
  return Number(hrnow() - t0) / n;
}

/** Iterations that make one sample last about sampleMs. */
function calibrate(subject, sampleMs) {
  let n = 256;
  for (;;) {
    const t0 = hrnow();
    subject.run(n);
    const ms = Number(hrnow() - t0) / 1e6;
    if (ms >= sampleMs / 4 || n >= 1 << 26) return Math.max(256, Math.ceil((n * sampleMs) / Math.max(ms, 0.001)));
    n *= 2;
  }
}

/**
 * Times every subject `rounds` times, interleaved: round r starts at subject r (mod count) and odd
 * rounds walk backwards, so no subject always follows the same neighbour or runs first after gc().
 * Returns per subject: the samples (ns/op), their median, quartiles, and the iterations per sample.
 */
export function runInterleaved(subjects, { rounds = 21, sampleMs = 25, warmupPasses = 3, warmupMs = 60 } = {}) {
  // Warm-up passes go over all subjects so that shared code (the SDK's guard, prom-client's
  // label hashing) has seen every shape before anything is timed.
  for (let pass = 0; pass < warmupPasses; pass++) {
    for (const s of subjects) {
      const until = hrnow() + BigInt(warmupMs * 1e6) / BigInt(warmupPasses);
      while (hrnow() < until) s.run(1000);
    }
  }
  const iterations = new Map(subjects.map((s) => [s.id, calibrate(s, sampleMs)]));
  const samples = new Map(subjects.map((s) => [s.id, []]));
  for (let r = 0; r < rounds; r++) {
    gc();
    const k = subjects.length;
    for (let j = 0; j < k; j++) {
      const idx = r % 2 === 0 ? (r + j) % k : (r + k - j) % k;
      const s = subjects[idx];
      samples.get(s.id).push(timeOnce(s, iterations.get(s.id)));
    }
  }
  const out = {};
  for (const s of subjects) {
    const xs = samples.get(s.id);
    out[s.id] = { median: median(xs), p25: quantile(xs, 0.25), p75: quantile(xs, 0.75), iterations: iterations.get(s.id), samples: xs };
  }
  return out;
}

/** Median over rounds of subject/reference measured in the same round (robust to drifting load). */
export function pairedRatio(result, id, refId) {
  return median(pairedRatios(result, id, refId));
}

/** The per-round ratios themselves, for their spread. */
export function pairedRatios(result, id, refId) {
  const b = result[refId].samples;
  return result[id].samples.map((x, i) => x / b[i]);
}

/** A schema metric's name in the OpenTelemetry data model (counters lose `_total`, exporters add it back). */
export const otelName = (spec) => (spec.kind === 'counter' ? spec.name.replace(/_total$/, '') : spec.name);
