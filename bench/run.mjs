// `npm run bench`: hook costs, memory over a million moves, cold start. Prints a report, writes
// bench/results.json, and always exits 0 (targets are reported as PASS/MISS, not enforced).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { pairedRatios, median, quantile, runInterleaved } from './harness.mjs';
import { TARGETS, buildSubjects } from './hooks.mjs';
import { runColdStart } from './cold-start.mjs';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const SAMPLE_MS = Number(process.env.BENCH_SAMPLE_MS ?? 30);
const REFERENCE = { candidateSkipped: 'prom.inc', policyViolation: 'prom.inc', moveLifecycle: 'prom.observe x2', tracedMove: 'otel.spans', drainProgress: 'prom.gauge.set' };
const results = {
  when: new Date().toISOString(),
  machine: { node: process.version, cpus: os.cpus().length, cpu: os.cpus()[0]?.model, loadavg: os.loadavg() },
};
const line = (s = '') => process.stdout.write(`${s}\n`);
const fmt = (x, d = 1) => (x === undefined ? '' : x.toFixed(d));
const verdict = (value, max) => (value <= max ? 'PASS' : 'MISS');

// ---- 1. hooks ----------------------------------------------------------------------------------
line('== 1. Hook cost, one process, subjects interleaved per round ==');
line(`   ${ROUNDS} rounds x ~${SAMPLE_MS} ms per subject, ns/op = median of rounds; ratio = median over rounds of (subject / prom-client reference in the same round), with its p25-p75`);
line('   SDK: createRebalanceTelemetry without tracerProvider/otlp: spans come from the global no-op tracer (nothing recorded or');
line('   exported, but the SDK still makes its @opentelemetry/api calls: contexts, no-op spans, attribute objects)');
const { subjects, verify } = buildSubjects();
const t0 = performance.now();
const timing = runInterleaved(subjects.map((s) => ({ id: s.key, run: s.run })), { rounds: ROUNDS, sampleMs: SAMPLE_MS });
const check = await verify();
results.hooks = { rounds: ROUNDS, sampleMs: SAMPLE_MS, seconds: (performance.now() - t0) / 1000, verify: check, groups: {} };
for (const group of Object.keys(REFERENCE)) {
  const ref = `${group}/${REFERENCE[group]}`;
  line();
  line(`-- ${group} (reference: ${REFERENCE[group]})`);
  line(`   ${'subject'.padEnd(74)} ${'ns/op'.padStart(8)} ${'p25-p75'.padStart(15)} ${'ratio'.padStart(7)} ${'p25-p75'.padStart(11)}`);
  const rows = {};
  for (const s of subjects.filter((x) => x.group === group)) {
    const t = timing[s.key];
    const ratios = pairedRatios(timing, s.key, ref);
    const ratio = median(ratios);
    const [r25, r75] = [quantile(ratios, 0.25), quantile(ratios, 0.75)];
    rows[s.id] = { label: s.label, nsPerOp: t.median, p25: t.p25, p75: t.p75, ratioVsReference: ratio, ratioP25: r25, ratioP75: r75, ratioOfMedians: t.median / timing[ref].median, iterations: t.iterations, samples: t.samples };
    line(`   ${s.label.padEnd(74)} ${fmt(t.median).padStart(8)} ${`${fmt(t.p25)}-${fmt(t.p75)}`.padStart(15)} ${`${fmt(ratio, 2)}x`.padStart(7)} ${`${fmt(r25, 2)}-${fmt(r75, 2)}`.padStart(11)}`);
  }
  results.hooks.groups[group] = { reference: REFERENCE[group], subjects: rows };
}
line();
line(`   sanity: ${check.rejected} SDK calls rejected (must be 0), ${check.candidatesSkipped} skips / ${check.policyViolations} violations / ${check.movesCompleted} moves recorded -> ${check.ok ? 'ok' : 'INVALID: the error path was timed'}`);

// ---- 2. memory (own process, so the hook benchmark's objects do not blur it) -------------------
line();
line('== 2. Memory: heapUsed after gc, 10,000 vs 1,000,000 completed moves, one process ==');
const memory = JSON.parse(execFileSync(process.execPath, ['--expose-gc', fileURLToPath(new URL('./memory.mjs', import.meta.url))], { encoding: 'utf8' }));
results.memory = memory;
line(`   workload: plans of ${memory.workload.planMoves} moves, ${memory.workload.batch} concurrent per batch, metricProducer.collect() every ${memory.workload.collectEvery} moves`);
for (const p of memory.checkpoints) {
  line(`   ${String(p.moves).padStart(9)} moves: heapUsed ${(p.heapUsed / 1048576).toFixed(2)} MiB, rss ${(p.rss / 1048576).toFixed(1)} MiB, ${p.dataPoints} data points per collection, ${p.collections} collections`);
}
line(`   ratio 1,000,000 / 10,000: ${memory.ratio.toFixed(4)} (+${(memory.deltaBytes / 1024).toFixed(0)} KiB); growth 100,000 -> 1,000,000: ${memory.bytesPerMoveAfterWarmup.toFixed(3)} bytes/move`);
line(`   ${memory.movesCounted} moves counted, ${memory.rejected} rejected; ${memory.seconds.toFixed(1)} s`);

// ---- 3. cold start -----------------------------------------------------------------------------
line();
line('== 3. Cold start: fresh node, require + createRebalanceTelemetry ==');
const cold = runColdStart();
results.coldStart = cold;
line(`   ${cold.runs} runs each, alternating; medians (ms)`);
line(`   ${''.padEnd(52)} ${'process wall'.padStart(12)} ${'require'.padStart(8)} ${'create'.padStart(7)}`);
const coldRow = (name, label) => {
  const s = cold.summary[name];
  line(`   ${label.padEnd(52)} ${fmt(s.wallMs).padStart(12)} ${fmt(s.requireMs).padStart(8)} ${fmt(s.createMs, 2).padStart(7)}`);
};
coldRow('empty', 'node -e "" (interpreter start-up only)');
coldRow('bundle', 'dist/meshkit-rebalance-observability.cjs (bundle)');
coldRow('unbundled', 'dist/cjs/index.js + node_modules/@opentelemetry');
line(`   bundle/unbundled: process wall ${cold.ratio.wall.toFixed(2)}x, require+create ${cold.ratio.requirePlusCreate.toFixed(2)}x, wall above empty node ${cold.ratio.wallAboveEmptyNode.toFixed(2)}x`);

// ---- 4. span volume ----------------------------------------------------------------------------
line();
line('== 4. Spans per scenario with a recording tracer: what the in-flight markers add ==');
const volume = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./span-volume.ts', import.meta.url))], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 }));
results.spanVolume = volume;
for (const [name, v] of Object.entries(volume)) {
  line(`   ${name.padEnd(18)} ${String(v.total).padStart(9)} spans, ${String(v.markers).padStart(8)} of them markers: ${v.ratio.toFixed(3)}x the spans without markers (${v.hours} h)`);
}

// ---- targets -----------------------------------------------------------------------------------
line();
line('== Targets (from the issue; reported, not enforced) ==');
results.targets = [];
for (const t of TARGETS) {
  const row = results.hooks.groups[t.group].subjects[t.subject];
  const r = { target: t.text, subject: row.label, ratio: row.ratioVsReference, max: t.max, verdict: verdict(row.ratioVsReference, t.max) };
  results.targets.push(r);
  line(`   ${r.verdict}  ${t.text.padEnd(45)} ${t.subject.padEnd(32)} ${r.ratio.toFixed(2)}x (rounds p25-p75 ${row.ratioP25.toFixed(2)}-${row.ratioP75.toFixed(2)})`);
}
const mem = { target: memory.target.text, ratio: memory.ratio, max: memory.target.max, verdict: verdict(memory.ratio, memory.target.max) };
results.targets.push(mem);
line(`   ${mem.verdict}  ${'heap after 1M moves within 5% of after 10k'.padEnd(45)} ${''.padEnd(32)} ${mem.ratio.toFixed(3)}x`);
if (!check.ok) line('   (hook numbers INVALID: SDK calls were rejected)');

const out = fileURLToPath(new URL('./results.json', import.meta.url));
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
line();
line(`wrote ${out}`);
