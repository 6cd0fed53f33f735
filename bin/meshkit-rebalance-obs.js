#!/usr/bin/env node
'use strict';
// A source checkout runs the TypeScript CLI through tsx; the published package ships it compiled.
const path = require('node:path');
const fs = require('node:fs');
const source = path.join(__dirname, '..', 'src', 'cli', 'main.ts');
if (fs.existsSync(source)) {
  require('tsx/cjs');
  require(source).runCli();
} else {
  require(path.join(__dirname, '..', 'dist', 'cli.cjs')).runCli();
}
