/**
 * The committed screenshots (docs/screenshots/) are what the preview renderer draws today: every
 * shot is rendered again — same history, same seed, same window, same viewport — and compared pixel
 * by pixel. A few pixels may differ (font anti-aliasing, which pixelmatch also detects and skips);
 * a changed panel, value, colour or layout fails. A deliberately edited dashboard must fail too, so
 * the comparison is known to see real change.
 *
 * After an intended change to a dashboard or to the renderer: `meshkit-rebalance-obs render`, look at
 * the PNGs, commit them. A failed comparison leaves the new render and a diff image in the temp
 * directory it names.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { renderShots, shotFile, SHOTS, type Shot } from '../../src/render/render';

const COMMITTED = path.join(__dirname, '..', '..', 'docs', 'screenshots');
/** pixelmatch's per-pixel colour distance (0–1) below which two pixels count as the same. */
const COLOUR_THRESHOLD = 0.1;
/** Differing pixels (anti-aliasing excluded) a render may have before it counts as changed. */
const MAX_DIFF_PIXELS = 150;

type Edited = Parameters<NonNullable<Shot['edit']>>[0];
const panel = (dashboard: Edited, title: string) => dashboard.panels.find((p) => p.title === title)!;

/**
 * The healthy exec view with one edit each, so the comparison is known to see each kind of change on
 * its own: a colour (the "Shards moved" stat turns blue, nothing else changes) and the layout (the
 * "Shards moved" and "Approval backlog" stats, same size, trade places; every value is unchanged).
 */
const EDITED: Record<'colour' | 'layout', Shot> = {
  colour: {
    view: 'exec',
    label: 'healthy-colour-only',
    scenario: 'healthy-rebalance',
    edit: (dashboard) => {
      panel(dashboard, 'Shards moved').fieldConfig!.defaults!.thresholds = { steps: [{ value: null, color: 'blue' }] } as never;
    },
  },
  layout: {
    view: 'exec',
    label: 'healthy-layout-only',
    scenario: 'healthy-rebalance',
    edit: (dashboard) => {
      const a = panel(dashboard, 'Shards moved');
      const b = panel(dashboard, 'Approval backlog');
      if (a.gridPos!.w !== b.gridPos!.w || a.gridPos!.h !== b.gridPos!.h) throw new Error('the two stats must have the same size for a layout-only swap');
      [a.gridPos, b.gridPos] = [b.gridPos, a.gridPos];
    },
  },
};

interface Comparison {
  width: number;
  height: number;
  diffPixels: number;
  sameSize: boolean;
  diff?: PNG;
}

function compare(actual: Buffer, expected: Buffer): Comparison {
  const a = PNG.sync.read(actual);
  // Chromium encodes the same pixels to the same bytes: skip the pixel walk then.
  if (actual.equals(expected)) return { width: a.width, height: a.height, diffPixels: 0, sameSize: true };
  const e = PNG.sync.read(expected);
  if (a.width !== e.width || a.height !== e.height) return { width: a.width, height: a.height, diffPixels: Infinity, sameSize: false };
  const diff = new PNG({ width: a.width, height: a.height });
  const diffPixels = pixelmatch(a.data, e.data, diff.data, a.width, a.height, { threshold: COLOUR_THRESHOLD, includeAA: false });
  return { width: a.width, height: a.height, diffPixels, sameSize: true, diff };
}

const rendered = new Map<string, Buffer>();

beforeAll(async () => {
  const pngs = await renderShots({ shots: [...SHOTS, EDITED.colour, EDITED.layout], out: null, log: () => {} });
  for (const [file, png] of pngs) rendered.set(file, png);
}, 300_000);

describe.each(SHOTS.map((s) => [shotFile(s)] as const))('docs/screenshots/%s', (file) => {
  it('is committed', () => {
    expect(existsSync(path.join(COMMITTED, file))).toBe(true);
  });

  it('matches a new render of the same history', () => {
    const actual = rendered.get(file)!;
    const result = compare(actual, readFileSync(path.join(COMMITTED, file)));
    if (!result.sameSize || result.diffPixels > MAX_DIFF_PIXELS) {
      const dir = mkdtempSync(path.join(tmpdir(), 'meshkit-screenshot-'));
      writeFileSync(path.join(dir, file), actual);
      if (result.diff) writeFileSync(path.join(dir, `diff-${file}`), PNG.sync.write(result.diff));
      throw new Error(
        `${file} differs from the committed screenshot (${result.sameSize ? `${result.diffPixels} pixels` : `size ${result.width}×${result.height}`}); the new render and the diff are in ${dir}. ` +
          'If the change is intended, run "meshkit-rebalance-obs render" and commit the PNGs.',
      );
    }
  });
});

it.each(Object.entries(EDITED))('sees a %s-only change: the edited render fails the comparison', (_, shot) => {
  const edited = rendered.get(shotFile(shot))!;
  const result = compare(edited, readFileSync(path.join(COMMITTED, 'exec-healthy.png')));
  expect(result.sameSize).toBe(true);
  expect(result.diffPixels).toBeGreaterThan(MAX_DIFF_PIXELS * 5);
});
