/**
 * Completion-forecast accuracy on the scenarios that stage no failure: runs each for its own length
 * (hyperscale for `--hyperscale-hours`, default 2) over several seeds, collects from every completed
 * plan's span the forecast error the SDK recorded at 25, 50 and 75 % of its moves
 * (`meshkit.plan.forecast_error_at_*pct_seconds` = forecast − actual completion), and prints the
 * median and p90 of |error|, in seconds and relative to the plan's execution time.
 *
 *   npx tsx scripts/forecast-accuracy.ts [--seeds 5] [--hyperscale-hours 2]
 */
import type { Context } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { ATTR, SPANS } from '../src/schema/spans';
import { DEFAULT_HISTORY_START, HOUR } from '../src/simulator/clock';
import { buildWorld } from '../src/simulator/runner';
import { findScenario } from '../src/simulator/scenarios';

const HEALTHY = ['healthy-rebalance', 'node-drain', 'hyperscale'] as const;
const CHECKPOINTS = [
  ['25 %', ATTR.forecastError25],
  ['50 %', ATTR.forecastError50],
  ['75 %', ATTR.forecastError75],
] as const;

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i < 0 ? fallback : Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) {
    process.stderr.write(`--${name} takes a positive whole number, got ${process.argv[i + 1]}\n`);
    process.exit(2);
  }
  return value;
}

interface PlanErrors {
  durationS: number;
  errors: (number | undefined)[];
}

/** Keeps only what it needs of completed plan spans: everything else is dropped on end. */
class PlanErrorCollector implements SpanProcessor {
  readonly plans: PlanErrors[] = [];
  onStart(_span: Span, _context: Context): void {}
  onEnd(span: ReadableSpan): void {
    if (span.name !== SPANS.plan || span.attributes[ATTR.planOutcome] !== 'completed') return;
    const durationS = span.duration[0] + span.duration[1] / 1e9;
    this.plans.push({ durationS, errors: CHECKPOINTS.map(([, key]) => span.attributes[key] as number | undefined) });
  }
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
};

function main(): void {
  const seeds = option('seeds', 5);
  const hyperscaleHours = option('hyperscale-hours', 2);
  const rows: string[] = [];
  const all: PlanErrors[] = [];
  for (const name of HEALTHY) {
    const scenario = findScenario(name)!;
    const hours = name === 'hyperscale' ? hyperscaleHours : scenario.hours;
    const collector = new PlanErrorCollector();
    const tracerProvider = new BasicTracerProvider({ spanProcessors: [collector] });
    for (let seed = 1; seed <= seeds; seed++) {
      const world = buildWorld(scenario, String(seed), DEFAULT_HISTORY_START, () => ({ tracerProvider }));
      world.runUntil(DEFAULT_HISTORY_START + hours * HOUR);
      process.stderr.write(`[forecast] ${name} seed ${seed}: ${collector.plans.length} completed plans so far\n`);
    }
    all.push(...collector.plans);
    rows.push(...table(`${name} (${hours} h × ${seeds} seeds)`, collector.plans));
  }
  rows.push(...table('all healthy scenarios', all));
  process.stdout.write(`${rows.join('\n')}\n`);
}

function table(title: string, plans: PlanErrors[]): string[] {
  const out = [`${title}: ${plans.length} completed plans`, '  at     plans  median |err|  p90 |err|   median rel  p90 rel'];
  CHECKPOINTS.forEach(([label], i) => {
    const withForecast = plans.filter((p) => p.errors[i] !== undefined && p.durationS > 0);
    if (withForecast.length === 0) return;
    const abs = withForecast.map((p) => Math.abs(p.errors[i]!));
    const rel = withForecast.map((p) => Math.abs(p.errors[i]!) / p.durationS);
    const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
    out.push(
      `  ${label.padEnd(6)} ${String(withForecast.length).padStart(5)}  ${`${quantile(abs, 0.5).toFixed(0)} s`.padStart(12)}  ${`${quantile(abs, 0.9).toFixed(0)} s`.padStart(9)}  ${pct(quantile(rel, 0.5)).padStart(11)}  ${pct(quantile(rel, 0.9)).padStart(7)}`,
    );
  });
  return out;
}

main();
