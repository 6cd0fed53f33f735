// One cold start: require the module given as argv[2], create a telemetry, record one hook call.
// Prints the in-process timings (ms); the parent also times the whole process from spawn to exit.
const t0 = performance.now();
const pkg = require(process.argv[2]);
const t1 = performance.now();
const handle = pkg.createRebalanceTelemetry({ namespace: 'payments', cluster: 'eu-west-1a', controllerId: 'rebalancer-0' });
handle.candidateSkipped({ reason: 'cooldown' });
const t2 = performance.now();
process.stdout.write(JSON.stringify({ bootMs: t0, requireMs: t1 - t0, createMs: t2 - t1, sinceStartMs: t2 }));
