/**
 * One sample per series into a Prometheus over remote write 1.0 (`--web.enable-remote-write-receiver`):
 * the WriteRequest protobuf and its snappy block, both written out by hand (a few fields, literal-only
 * snappy), so a fleet test can move a series of a backfilled history on at a chosen time.
 */

export interface WrittenSample {
  /** Every label of the series, `__name__` included. */
  labels: Record<string, string>;
  value: number;
  timestampMs: number;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

const field = (number: number, wireType: number): number[] => varint(number * 8 + wireType);
const bytesField = (number: number, bytes: readonly number[]): number[] => [...field(number, 2), ...varint(bytes.length), ...bytes];
const text = (s: string): number[] => [...Buffer.from(s, 'utf8')];

function double(value: number): number[] {
  const b = Buffer.alloc(8);
  b.writeDoubleLE(value);
  return [...b];
}

/** prometheus.WriteRequest { repeated TimeSeries timeseries = 1 }, labels sorted by name as the receiver requires. */
export function writeRequest(samples: readonly WrittenSample[]): Buffer {
  const out: number[] = [];
  for (const s of samples) {
    const series: number[] = [];
    for (const name of Object.keys(s.labels).sort()) series.push(...bytesField(1, [...bytesField(1, text(name)), ...bytesField(2, text(s.labels[name]))]));
    series.push(...bytesField(2, [...field(1, 1), ...double(s.value), ...field(2, 0), ...varint(s.timestampMs)]));
    out.push(...bytesField(1, series));
  }
  return Buffer.from(out);
}

/** The snappy block format with literals only: valid input for any snappy decoder, not compressed. */
export function snappyLiteral(data: Buffer): Buffer {
  const out: number[] = varint(data.length);
  for (let at = 0; at < data.length; at += 65_536) {
    const chunk = data.subarray(at, at + 65_536);
    const n = chunk.length - 1;
    if (n < 60) out.push(n << 2);
    else if (n < 256) out.push(60 << 2, n);
    else out.push(61 << 2, n & 0xff, n >> 8);
    out.push(...chunk);
  }
  return Buffer.from(out);
}

/** POSTs the samples to `<prometheus>/api/v1/write`; throws with Prometheus's answer unless it is 2xx. */
export async function remoteWrite(prometheus: string, samples: readonly WrittenSample[]): Promise<void> {
  const response = await fetch(`${prometheus}/api/v1/write`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
    body: new Uint8Array(snappyLiteral(writeRequest(samples))),
  });
  if (!response.ok) throw new Error(`remote write to ${prometheus}: ${response.status} ${await response.text()}`);
}
