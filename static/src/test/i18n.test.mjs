import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, readdir } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { dictionary, t, setLang, lang } from '../i18n.js'

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

test('French and English have the same keys and no empty text', () => {
  const en = Object.keys(dictionary.en).sort()
  const fr = Object.keys(dictionary.fr).sort()
  assert.deepEqual(fr, en)
  for (const [code, table] of Object.entries(dictionary)) {
    for (const [k, v] of Object.entries(table)) assert.ok(v.trim(), `${code} ${k} is empty`)
  }
})

test('translations use the same placeholders', () => {
  const names = s => [...s.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort()
  for (const k of Object.keys(dictionary.en)) {
    assert.deepEqual(names(dictionary.fr[k]), names(dictionary.en[k]), k)
  }
})

async function sources (dir) {
  const out = []
  for (const e of await readdir(dir, { withFileTypes: true })) {
    if (e.name === 'test') continue
    const p = path.join(dir, e.name)
    if (e.isDirectory()) out.push(...await sources(p))
    else if (e.name.endsWith('.js')) out.push(p)
  }
  return out
}

test('every key the code names is in the dictionary', async () => {
  const prefixes = new Set(Object.keys(dictionary.en).map(k => k.split('.')[0]))
  const used = new Set()
  for (const file of await sources(src)) {
    const code = await readFile(file, 'utf8')
    for (const m of code.matchAll(/'([a-z]+(?:\.[A-Za-z0-9]+)+)'/g)) {
      if (prefixes.has(m[1].split('.')[0]) && !/\.(js|css|json)$/.test(m[1])) used.add(m[1])
    }
  }
  // Built at run time as 'status.' + state.
  for (const s of ['connecting', 'connected', 'offline', 'saving', 'saved', 'readOnly']) used.add('status.' + s)
  assert.ok(used.size > 40, `only ${used.size} keys found: the scan is broken`)
  for (const k of used) assert.ok(k in dictionary.en, `${k} is used but not translated`)
})

test('t fills placeholders and follows the language', () => {
  setLang('en')
  assert.equal(t('people.you', { name: 'Ana' }), 'Ana (you)')
  setLang('fr')
  assert.equal(lang(), 'fr')
  assert.equal(t('people.you', { name: 'Ana' }), 'Ana (vous)')
  assert.equal(t('status.saved'), 'Enregistré')
  assert.equal(t('no.such.key'), 'no.such.key')
  setLang('xx')
  assert.equal(lang(), 'fr', 'an unknown language is ignored')
  setLang('en')
})
