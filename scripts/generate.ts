// Writes every generated artifact; `test/unit/generated.test.ts` fails when a checked-in copy drifts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generatedArtifacts } from '../src/generate/artifacts';

const root = join(__dirname, '..');
for (const [path, content] of Object.entries(generatedArtifacts())) {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
  process.stderr.write(`[generate] ${path}\n`);
}
