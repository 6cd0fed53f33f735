#!/usr/bin/env node
'use strict';
// A source checkout runs the TypeScript CLI through tsx; the published package ships it compiled.
const path = require('node:path');
const fs = require('node:fs');
const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
if (fs.existsSync(source)) {
  // tsx/cjs compiles require()d TypeScript; the ESM hooks cover the lazy import() of each CLI verb.
  require('tsx/cjs');
  import('tsx/esm/api').then(({ register }) => {
    register();
    require(source).runCli();
  });
} else {
  require(path.join(__dirname, '..', 'dist', 'cli.cjs')).runCli();
}
