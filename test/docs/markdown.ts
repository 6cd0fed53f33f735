/** Reading the docs for the doc tests: files, fenced blocks, links and heading anchors. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { slug } from '../../src/generate/markdown';

export const ROOT = path.join(__dirname, '..', '..');
export const DOCS = path.join(ROOT, 'docs');

/** Every Markdown file under docs/, and the README, as paths relative to the repository root. */
export function markdownFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.md')) out.push(path.relative(ROOT, full));
    }
  };
  walk(DOCS);
  return ['README.md', ...out];
}

export const read = (file: string): string => readFileSync(path.join(ROOT, file), 'utf8');

export interface Fence {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  /** First word of the info string, lower case ('' when none). */
  lang: string;
  /** The block's content, indentation of the fence removed. */
  body: string;
  /** The text of the line before the fence (an HTML comment marker, for instance). */
  before: string;
}

/** Fenced code blocks (``` or ~~~, indented by list nesting or not). */
export function fences(file: string, text = read(file)): Fence[] {
  const lines = text.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]!);
    if (!open) continue;
    const [, indent, fence, info] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = new RegExp(`^\\s*${fence![0] === '`' ? '`' : '~'}{${fence!.length},}\\s*$`);
      if (close.test(lines[j]!)) break;
      body.push(lines[j]!.startsWith(indent!) ? lines[j]!.slice(indent!.length) : lines[j]!.trimStart());
    }
    out.push({ file, line: i + 1, lang: (info ?? '').toLowerCase(), body: body.join('\n'), before: (lines[i - 1] ?? '').trim() });
    i = j;
  }
  return out;
}

/** The text outside fenced blocks, with inline code spans blanked (line structure kept). */
export function prose(text: string): string {
  const lines = text.split('\n');
  let fence: string | undefined;
  const kept = lines.map((line) => {
    const marker = /^\s*(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (marker && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      return '';
    }
    if (marker) {
      fence = marker;
      return '';
    }
    return line.replace(/(`+)(?:(?!\1)[\s\S])*?\1/g, (m) => ' '.repeat(m.length));
  });
  return kept.join('\n');
}

export interface Link {
  file: string;
  line: number;
  image: boolean;
  text: string;
  target: string;
}

/** Inline links and images outside code. */
export function links(file: string, text = read(file)): Link[] {
  const out: Link[] = [];
  prose(text)
    .split('\n')
    .forEach((line, i) => {
      for (const m of line.matchAll(/(!?)\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
        out.push({ file, line: i + 1, image: m[1] === '!', text: m[2]!, target: m[3]! });
      }
    });
  return out;
}

/** The anchors of a Markdown file's headings, as GitHub makes them. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const line of prose(text).split('\n')) {
    const m = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (m) out.add(slug(m[2]!, seen));
  }
  return out;
}

/**
 * Headings of a file with their level, in order, from the raw text (code spans kept, fenced blocks
 * skipped).
 */
export function headings(text: string): { level: number; text: string; line: number }[] {
  const raw = text.split('\n');
  const visible = prose(text).split('\n');
  const out: { level: number; text: string; line: number }[] = [];
  visible.forEach((line, i) => {
    const m = /^ {0,3}(#{1,6})\s+/.exec(line);
    if (m) out.push({ level: m[1]!.length, text: raw[i]!.replace(/^ {0,3}#{1,6}\s+/, '').replace(/\s+#*\s*$/, ''), line: i + 1 });
  });
  return out;
}

/** The body of the section under a heading (up to the next heading of the same or a higher level). */
export function section(text: string, title: string, level = 2): string | undefined {
  const lines = text.split('\n');
  const all = headings(text);
  const start = all.find((h) => h.level === level && h.text === title);
  if (!start) return undefined;
  const next = all.find((h) => h.line > start.line && h.level <= level);
  return lines.slice(start.line, next ? next.line - 1 : undefined).join('\n');
}
