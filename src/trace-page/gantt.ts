/**
 * The Gantt of one plan on a canvas: one row per move, its drain, handoff and verify phases as
 * segments, drain reports as ticks, failures marked, moves in flight as open bars up to the time the
 * trace was read, plan events on the axis. Only the rows in view are drawn, so 500 moves or 5,000
 * scroll alike; `full` draws every row (for a PNG).
 */
import { formatDuration } from '../trace/timeline';
import type { MoveRow, Phase, PlanView } from '../trace/plan-view';

export const ROW_H = 18;
const AXIS_H = 44;
const LABEL_W = 300;
const RIGHT_W = 220;
const FONT = '"DejaVu Sans"';

export const COLORS = {
  background: '#181b1f',
  grid: 'rgba(240, 250, 255, 0.09)',
  text: 'rgb(204, 204, 220)',
  textSecondary: 'rgba(204, 204, 220, 0.65)',
  failed: '#F2495C',
  tick: '#FFEE52',
  event: '#8AB8FF',
  phases: { drain: '#5794F2', handoff: '#B877D9', verify: '#73BF69' } as Record<Phase, string>,
};

export interface Hit {
  move: MoveRow;
  /** What is under the pointer: a phase, a drain tick, or the row. */
  detail: string;
}

export class Gantt {
  private rows: MoveRow[] = [];
  private readonly ctx: CanvasRenderingContext2D;
  private t0 = 0;
  private t1 = 1;
  private width = 0;
  private height = 0;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly view: PlanView,
  ) {
    this.ctx = canvas.getContext('2d')!;
    this.t0 = Math.min(view.startUs, ...view.moves.map((m) => m.startUs));
    this.t1 = Math.max(this.t0 + 1, view.endUs ?? view.nowUs, ...view.moves.map((m) => m.endUs ?? view.nowUs));
  }

  get axisHeight(): number {
    return AXIS_H;
  }

  /** Sets the rows shown (a filter of the view's moves). */
  setRows(rows: MoveRow[]): void {
    this.rows = rows;
  }

  private x(us: number): number {
    return LABEL_W + ((us - this.t0) / (this.t1 - this.t0)) * (this.width - LABEL_W - RIGHT_W);
  }

  private usAt(x: number): number {
    return this.t0 + ((x - LABEL_W) / (this.width - LABEL_W - RIGHT_W)) * (this.t1 - this.t0);
  }

  /** Draws the axis and the rows from `first` that fit `height` pixels. */
  draw(width: number, height: number, first: number): void {
    this.width = width;
    this.height = height;
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
    const ctx = this.ctx;
    ctx.fillStyle = COLORS.background;
    ctx.fillRect(0, 0, width, height);
    ctx.font = `12px ${FONT}`;
    this.drawAxis();
    const visible = Math.ceil((height - AXIS_H) / ROW_H);
    for (let i = 0; i < visible && first + i < this.rows.length; i++) this.drawRow(this.rows[first + i]!, AXIS_H + i * ROW_H, first + i);
    this.drawEventLines();
  }

  private drawAxis(): void {
    const ctx = this.ctx;
    const span = this.t1 - this.t0;
    const steps = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400].map((s) => s * 1e6);
    const plotW = this.width - LABEL_W - RIGHT_W;
    const step = steps.find((s) => (s / span) * plotW >= 90) ?? steps[steps.length - 1]!;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    for (let t = 0; t <= span; t += step) {
      const x = Math.round(this.x(this.t0 + t)) + 0.5;
      ctx.strokeStyle = COLORS.grid;
      ctx.beginPath();
      ctx.moveTo(x, AXIS_H - 6);
      ctx.lineTo(x, this.height);
      ctx.stroke();
      ctx.fillStyle = COLORS.textSecondary;
      ctx.fillText(t === 0 ? '0' : `+${formatDuration(t)}`, x, AXIS_H - 20);
    }
    ctx.textAlign = 'left';
    ctx.fillStyle = COLORS.textSecondary;
    ctx.fillText('shard', 8, AXIS_H - 20);
    ctx.fillText('from → to', 130, AXIS_H - 20);
    // Plan events as flags above the axis, labels staggered so neighbours do not overlap.
    let lastRight = -Infinity;
    let lane = 0;
    for (const e of this.view.events) {
      const x = this.x(e.atUs);
      const label = e.name.replace(/^plan\./, '');
      const w = ctx.measureText(label).width;
      lane = x - 2 < lastRight ? (lane + 1) % 2 : 0;
      ctx.fillStyle = COLORS.event;
      ctx.fillRect(Math.round(x) - 1, 2 + lane * 11, 3, 9);
      ctx.fillText(label, x + 4, 1 + lane * 11);
      lastRight = Math.max(lastRight, x + 4 + w);
    }
    if (this.view.endUs === undefined) {
      const x = Math.round(this.x(this.view.nowUs)) + 0.5;
      ctx.fillStyle = COLORS.text;
      ctx.textAlign = 'right';
      ctx.fillText('now', x - 3, AXIS_H - 20);
      ctx.textAlign = 'left';
    }
  }

  private drawEventLines(): void {
    const ctx = this.ctx;
    ctx.save();
    ctx.setLineDash([3, 3]);
    ctx.strokeStyle = 'rgba(138, 184, 255, 0.5)';
    for (const e of this.view.events) {
      const x = Math.round(this.x(e.atUs)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, 12);
      ctx.lineTo(x, this.height);
      ctx.stroke();
    }
    if (this.view.endUs === undefined) {
      ctx.strokeStyle = 'rgba(204, 204, 220, 0.6)';
      const x = Math.round(this.x(this.view.nowUs)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, AXIS_H - 6);
      ctx.lineTo(x, this.height);
      ctx.stroke();
    }
    ctx.restore();
  }

  private drawRow(move: MoveRow, y: number, index: number): void {
    const ctx = this.ctx;
    if (index % 2 === 1) {
      ctx.fillStyle = 'rgba(204, 204, 220, 0.03)';
      ctx.fillRect(0, y, this.width, ROW_H);
    }
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    ctx.fillStyle = move.failed ? COLORS.failed : COLORS.text;
    ctx.fillText(clip(ctx, move.shard, 116), 8, y + ROW_H / 2);
    ctx.fillStyle = COLORS.textSecondary;
    ctx.fillText(clip(ctx, `${move.from} → ${move.to}`, LABEL_W - 140), 130, y + ROW_H / 2);
    const barY = y + 3;
    const barH = ROW_H - 6;
    for (const p of move.phases) {
      const x0 = this.x(p.startUs);
      const x1 = Math.max(x0 + 1, this.x(p.endUs ?? this.view.nowUs));
      const c = COLORS.phases[p.phase];
      if (p.endUs === undefined) {
        // Under way: an open bar, outlined and hatched, up to now.
        ctx.fillStyle = withAlpha(c, 0.25);
        ctx.fillRect(x0, barY, x1 - x0, barH);
        ctx.strokeStyle = c;
        ctx.strokeRect(x0 + 0.5, barY + 0.5, x1 - x0 - 1, barH - 1);
        ctx.save();
        ctx.beginPath();
        ctx.rect(x0, barY, x1 - x0, barH);
        ctx.clip();
        ctx.strokeStyle = withAlpha(c, 0.6);
        for (let hx = x0 - barH; hx < x1; hx += 6) {
          ctx.beginPath();
          ctx.moveTo(hx, barY + barH);
          ctx.lineTo(hx + barH, barY);
          ctx.stroke();
        }
        ctx.restore();
      } else {
        ctx.fillStyle = p.failed ? COLORS.failed : c;
        ctx.fillRect(x0, barY, x1 - x0, barH);
      }
    }
    ctx.fillStyle = COLORS.tick;
    for (const t of move.ticks) ctx.fillRect(Math.round(this.x(t.atUs)), barY - 2, 1, barH + 4);
    const end = this.x(move.endUs ?? this.view.nowUs);
    ctx.textAlign = 'left';
    if (move.failed) {
      ctx.fillStyle = COLORS.failed;
      ctx.fillText(`✗ ${move.failed}`, end + 6, y + ROW_H / 2);
    } else if (move.endUs === undefined) {
      ctx.fillStyle = COLORS.text;
      const p = move.lastProgress;
      ctx.fillText(p ? `in flight · ${p.remaining} left` : 'in flight', end + 6, y + ROW_H / 2);
    } else if (move.outcome !== 'completed') {
      ctx.fillStyle = COLORS.textSecondary;
      ctx.fillText(move.outcome, end + 6, y + ROW_H / 2);
    }
  }

  /** What is at (x, y) of the canvas, with `first` the first row drawn. */
  hit(x: number, y: number, first: number): Hit | undefined {
    if (y < AXIS_H) return undefined;
    const move = this.rows[first + Math.floor((y - AXIS_H) / ROW_H)];
    if (!move) return undefined;
    const us = this.usAt(x);
    const near = move.ticks.find((t) => Math.abs(this.x(t.atUs) - x) <= 2);
    if (near) return { move, detail: `drain report at +${formatDuration(near.atUs - this.t0)}: ${near.remaining} left${near.ratio === undefined ? '' : `, ${Math.round(near.ratio * 100)} % drained`}` };
    const phase = move.phases.find((p) => us >= p.startUs && us <= (p.endUs ?? this.view.nowUs));
    if (phase) {
      const took = formatDuration((phase.endUs ?? this.view.nowUs) - phase.startUs);
      return { move, detail: `${phase.phase} ${phase.endUs === undefined ? `under way for ${took}` : `took ${took}`}${phase.failed ? `, failed: ${phase.failed}` : ''}` };
    }
    return { move, detail: '' };
  }
}

function clip(ctx: CanvasRenderingContext2D, text: string, width: number): string {
  if (ctx.measureText(text).width <= width) return text;
  let t = text;
  while (t.length > 1 && ctx.measureText(`${t}…`).width > width) t = t.slice(0, -1);
  return `${t}…`;
}

function withAlpha(hex: string, a: number): string {
  return `rgba(${parseInt(hex.slice(1, 3), 16)}, ${parseInt(hex.slice(3, 5), 16)}, ${parseInt(hex.slice(5, 7), 16)}, ${a})`;
}
