/** Small Markdown helpers shared by the generated docs and the doc tests. */

/** A code span that survives any content (backticks inside get a longer fence). */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** Text for one table cell: no line breaks, pipes escaped (GitHub tables split on `|` even in code spans). */
export function cell(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** A table from a header row and body rows (cells already formatted). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation dropped (hyphens and underscores
 * kept), each space a hyphen. `seen` numbers repeated anchors (`-1`, `-2`) as GitHub does.
 */
export function slug(heading: string, seen?: Map<string, number>): string {
  const base = heading
    .replace(/<[^>]+>/g, '')
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, '')
    .replace(/ /g, '-');
  if (!seen) return base;
  const count = seen.get(base);
  seen.set(base, (count ?? -1) + 1);
  return count === undefined ? base : `${base}-${count + 1}`;
}
