/**
 * Every relative link and image in docs/ and README.md resolves: the file exists, and a `#anchor`
 * names a heading of the file it points at. Images are never skipped: a screenshot the docs show
 * must exist (docs/screenshots/*.png are rendered by `meshkit-rebalance-obs render`).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { anchors, links, markdownFiles, read, ROOT, type Link } from './markdown';

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

function problem(link: Link): string | undefined {
  const [rawPath, anchor] = link.target.split('#', 2) as [string, string | undefined];
  const target = decodeURIComponent(rawPath);
  const file = target === '' ? link.file : path.normalize(path.join(path.dirname(link.file), target));
  if (file.startsWith('..')) return 'points outside the repository';
  const full = path.join(ROOT, file);
  if (!existsSync(full)) return link.image ? `image ${file} does not exist (render the screenshots: meshkit-rebalance-obs render)` : `${file} does not exist`;
  if (anchor === undefined) return undefined;
  if (statSync(full).isDirectory() || !file.endsWith('.md')) return `#${anchor} on a file that is not Markdown`;
  return anchors(read(file)).has(anchor) ? undefined : `${file} has no heading #${anchor}`;
}

const all = markdownFiles().flatMap((file) => links(file));
const relative = all.filter((l) => !isExternal(l.target));

describe('links and images in the docs', () => {
  it('finds the docs and their links', () => {
    expect(markdownFiles().length).toBeGreaterThan(20);
    expect(relative.length).toBeGreaterThan(100);
    expect(relative.filter((l) => l.image).length).toBeGreaterThan(10);
  });

  it.each(markdownFiles())('%s: every relative link and image resolves', (file) => {
    const broken = relative
      .filter((l) => l.file === file)
      .map((l) => ({ l, why: problem(l) }))
      .filter((x) => x.why)
      .map(({ l, why }) => `${l.file}:${l.line} ${l.image ? '!' : ''}[${l.text}](${l.target}): ${why}`);
    expect(broken).toEqual([]);
  });

  it('external links are https (no plain-http links outside loopback examples)', () => {
    const bad = all.filter((l) => isExternal(l.target) && !/^https:\/\//.test(l.target) && !/^http:\/\/(127\.0\.0\.1|localhost)/.test(l.target));
    expect(bad.map((l) => `${l.file}:${l.line} ${l.target}`)).toEqual([]);
  });
});
