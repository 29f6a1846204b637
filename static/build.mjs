// Builds the web client: static/src/main.js (and the CSS it imports) into
// static/dist/app.js and static/dist/app.css with the pinned esbuild.
//
//   node static/build.mjs                 # rebuild the committed bundle
//   node static/build.mjs --outdir DIR    # build elsewhere (the Go test compares)
//
// The output depends only on the sources and node_modules: paths are taken
// relative to the repository root, no timestamps or hashes go into names,
// and esbuild is deterministic for a given version.
import * as esbuild from 'esbuild'
import { fileURLToPath } from 'node:url'
import path from 'node:path'
import fs from 'node:fs/promises'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

function outdirArg (argv) {
  const i = argv.indexOf('--outdir')
  if (i < 0) return path.join(root, 'static', 'dist')
  if (!argv[i + 1]) throw new Error('build: --outdir needs a directory')
  return path.resolve(argv[i + 1])
}

const outdir = outdirArg(process.argv.slice(2))
await fs.rm(outdir, { recursive: true, force: true })
await fs.mkdir(outdir, { recursive: true })

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: { app: 'static/src/main.js' },
  outdir,
  entryNames: '[name]',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15.4'],
  minify: true,
  charset: 'utf8',
  legalComments: 'eof',
  sourcemap: false,
  metafile: true,
  logLevel: 'warning'
})

await fs.writeFile(path.join(outdir, 'licenses.txt'), await licenses(result.metafile))

const sizes = Object.entries(result.metafile.outputs)
  .map(([file, out]) => `${path.relative(root, path.resolve(root, file))} ${out.bytes} bytes`)
  .sort()
console.log(sizes.join('\n'))

// licenses gathers the licence of every npm package that went into the
// bundle, which their terms ask us to ship along with it.
async function licenses (metafile) {
  const dirs = new Set()
  for (const input of Object.keys(metafile.inputs)) {
    const m = /^(.*?node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)
    if (m) dirs.add(m[1])
  }
  const parts = []
  for (const dir of [...dirs].sort()) {
    const pkg = JSON.parse(await fs.readFile(path.join(root, dir, 'package.json'), 'utf8'))
    const files = (await fs.readdir(path.join(root, dir))).filter(f => /^(licen[cs]e|copying)/i.test(f)).sort()
    const text = files.length ? await fs.readFile(path.join(root, dir, files[0]), 'utf8') : `License: ${pkg.license}\n`
    parts.push(`${pkg.name} ${pkg.version} (${pkg.license})\n\n${text.trim()}\n`)
  }
  return 'The commonpad web client bundles these packages:\n\n' + parts.join('\n' + '-'.repeat(72) + '\n\n')
}
