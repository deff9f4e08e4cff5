// Build the self-hosted partial plotly.js bundle used by docs/assets/javascripts/charts.js.
//
//   node build.mjs [--out PATH]
//
// tools/plotly/entry.js (plotly.js' core with only the traces and components our charts use),
// bundled and minified with esbuild; attribute descriptions and other
// schema-only metadata stripped the way plotly.js' own build does (tasks/compress_attributes);
// `.css` imports loaded as empty (map-library CSS only map traces use). The plotly.js MIT
// licence header is kept as a banner.

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const PLOTLY_DIR = dirname(require.resolve('plotly.js/package.json'));
const VERSION = JSON.parse(readFileSync(resolve(PLOTLY_DIR, 'package.json'), 'utf8')).version;
const DEFAULT_OUT = resolve(HERE, '../../docs/assets/javascripts/vendor/plotly-tpg.min.js');

// ---------------------------------------------------------------------------
// Strip schema metadata (descriptions etc.) from plotly.js sources
// ---------------------------------------------------------------------------

const SQ = "'(?:[^'\\\\\\n]|\\\\.)*'";
const DQ = '"(?:[^"\\\\\\n]|\\\\.)*"';
const STR = `(?:${SQ}|${DQ})`;
const ARRAY_OF_STR = `\\[(?:\\s*${STR}\\s*,?)*\\s*\\]`;
const META_KEYS = ['description', 'hrName', 'role'];
const ARRAY_KEYS = ['requiredOpts', 'otherOpts'];

const STRIP_RES = [
  ...META_KEYS.map((k) => new RegExp(`\\b${k}:\\s*${ARRAY_OF_STR}\\s*\\.join\\(\\s*${STR}\\s*\\)\\s*,?`, 'g')),
  ...META_KEYS.map((k) => new RegExp(`\\b${k}:\\s*${STR}(?:\\s*\\+\\s*${STR})*\\s*,?(?=\\s*[\\n}])`, 'g')),
  ...ARRAY_KEYS.map((k) => new RegExp(`\\b${k}:\\s*${ARRAY_OF_STR}\\s*,?`, 'g')),
];

let stripped = 0;

const stripMeta = {
  name: 'strip-plotly-meta',
  setup(build) {
    build.onLoad({ filter: /[\\/]plotly\.js[\\/]src[\\/].*\.js$/ }, (args) => {
      let text = readFileSync(args.path, 'utf8');
      for (const re of STRIP_RES) {
        text = text.replace(re, () => {
          stripped += 1;
          return '';
        });
      }
      return { contents: text, loader: 'js' };
    });
  },
};

// ---------------------------------------------------------------------------
// Build
// ---------------------------------------------------------------------------

function licenceHeader() {
  const dist = readFileSync(resolve(PLOTLY_DIR, 'dist/plotly.js'), 'utf8');
  const m = dist.match(/^\/\*\*[\s\S]*?\*\//);
  const base = m ? m[0] : `/**\n* plotly.js v${VERSION}\n* Copyright 2012-2026, Plotly, Inc.\n* All rights reserved.\n* Licensed under the MIT license\n*/`;
  return base.replace(/\*\/$/, '* Partial bundle for Trigger Point Guide: scatter, bar, annotations, shapes, error bars, hover (tools/plotly/entry.js)\n*/');
}

async function main() {
  const outIndex = process.argv.indexOf('--out');
  const out = outIndex > 0 ? resolve(process.argv[outIndex + 1]) : DEFAULT_OUT;
  mkdirSync(dirname(out), { recursive: true });
  const result = await esbuild.build({
    entryPoints: [resolve(HERE, 'entry.js')],
    bundle: true,
    minify: true,
    format: 'iife',
    globalName: 'Plotly',
    target: 'es2017',
    legalComments: 'none',
    banner: { js: licenceHeader() },
    loader: { '.css': 'empty' },
    define: { global: 'window', 'define.amd': 'false', 'process.env.NODE_DEBUG': 'false' },
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    plugins: [stripMeta],
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].contents;
  writeFileSync(out, code);
  const gz = gzipSync(code, { level: 9 }).length;
  console.log(`plotly.js ${VERSION} partial bundle -> ${out}`);
  console.log(`  ${stripped} metadata attributes stripped`);
  console.log(`  raw ${(code.length / 1024).toFixed(0)} KiB, gzip ${(gz / 1024).toFixed(0)} KiB`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
