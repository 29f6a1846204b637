import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readDraft, readResult, initialForm, publishBody, errorText, safeURL } from '../publishform.js'

const published = {
  title: 'Réunion du 12 mars',
  authors: ['Alice', 'Bob'],
  status: 'open',
  note: {
    slug: 'reunion-du-12-mars',
    version: 2,
    visibility: 'public',
    urls: { note: 'http://127.0.0.1:8080/n/reunion-du-12-mars', version: 'http://127.0.0.1:8080/n/reunion-du-12-mars/v/2', markdown: 'x', text: 'javascript:alert(1)' }
  }
}

test('a draft is read as the server sent it', () => {
  const d = readDraft(published)
  assert.equal(d.title, 'Réunion du 12 mars')
  assert.deepEqual(d.authors, ['Alice', 'Bob'])
  assert.equal(d.status, 'open')
  assert.equal(d.note.version, 2)
  assert.equal(d.note.visibility, 'public')
  assert.equal(d.note.urls.note, 'http://127.0.0.1:8080/n/reunion-du-12-mars')
  assert.equal(d.note.urls.markdown, '', 'a relative path without a slash is not a link')
  assert.equal(d.note.urls.text, '', 'a javascript: address never becomes a link')
})

test('a malformed draft gives an empty one, never an exception', () => {
  for (const body of [null, 'oops', 42, [], { authors: 'Alice', note: 'x' }, { authors: [1, null, ' ', 'Ana', 'Ana '], note: { slug: '' } }]) {
    const d = readDraft(body)
    assert.equal(typeof d.title, 'string')
    assert.ok(Array.isArray(d.authors))
    assert.equal(d.note, null)
    assert.equal(d.status, 'open')
  }
  assert.deepEqual(readDraft({ authors: [1, null, ' ', 'Ana', 'Ana ', 'Bea'] }).authors, ['Ana', 'Bea'], 'blank, non-string and repeated names are dropped')
  const odd = readDraft({ note: { slug: 'n', version: -3, visibility: 'secret', urls: null } })
  assert.deepEqual(odd.note, { slug: 'n', version: 1, visibility: 'unlisted', urls: { note: '/n/n', version: '/n/n', markdown: '', text: '' } })
  assert.equal(readDraft({ status: 'finished' }).status, 'finished')
})

test('the form starts with every author, the draft title and the note’s visibility', () => {
  const first = initialForm(readDraft({ title: 'Notes', authors: ['Alice', 'Bob'], status: 'open', note: null }))
  assert.equal(first.title, 'Notes')
  assert.deepEqual([...first.checked], ['Alice', 'Bob'])
  assert.equal(first.visibility, 'unlisted', 'a first publication is unlisted unless chosen')
  assert.equal(first.finish, false)
  assert.equal(initialForm(readDraft(published)).visibility, 'public', 'publishing again keeps the note’s visibility')
})

test('the request names the checked authors in the draft’s order', () => {
  const draft = readDraft(published)
  const form = initialForm(draft)
  form.checked = new Set(['Bob', 'Zoé']) // Zoé is not in the draft: never sent
  form.title = '  Compte   rendu\n final '
  form.visibility = 'public'
  form.finish = true
  assert.deepEqual(publishBody(draft, form), { title: 'Compte rendu final', visibility: 'public', finish: true, authors: ['Bob'] })

  form.checked = new Set(['Bob', 'Alice'])
  assert.deepEqual(publishBody(draft, form).authors, ['Alice', 'Bob'])
  form.checked = new Set()
  assert.deepEqual(publishBody(draft, form).authors, [], 'unchecking everyone publishes without names')
})

test('an empty title is left to the server and a long one is cut', () => {
  const draft = readDraft({ authors: [] })
  const form = { ...initialForm(draft), title: '   ' }
  assert.equal('title' in publishBody(draft, form), false)
  form.title = 'é'.repeat(250)
  assert.equal(publishBody(draft, form).title, 'é'.repeat(200))
  form.visibility = 'everyone'
  assert.equal(publishBody(draft, form).visibility, 'unlisted', 'an unknown visibility falls back to the default')
  form.finish = 'yes'
  assert.equal(publishBody(draft, form).finish, false)
})

test('the answer of a publication is read, a wrong one is refused', () => {
  const r = readResult({ slug: 'compte-rendu', version: 3, urls: { note: 'https://pads.example/n/compte-rendu', version: 'https://pads.example/n/compte-rendu/v/3' } })
  assert.equal(r.version, 3)
  assert.equal(r.urls.note, 'https://pads.example/n/compte-rendu')
  assert.equal(r.urls.version, 'https://pads.example/n/compte-rendu/v/3')
  assert.equal(readResult({ error: 'no' }), null)
  assert.equal(readResult('<html>'), null)
  assert.equal(readResult(null), null)
})

test('links are only http(s) or same-site paths', () => {
  assert.equal(safeURL('/n/a'), '/n/a')
  assert.equal(safeURL('//evil.example/n'), '')
  assert.equal(safeURL('HTTPS://pads.example/n/a'), 'HTTPS://pads.example/n/a')
  assert.equal(safeURL('javascript:alert(1)'), '')
  assert.equal(safeURL('data:text/html,x'), '')
  assert.equal(safeURL(7), '')
})

test('the server’s message is shown, an HTML error page is not', () => {
  assert.equal(errorText({ error: 'authors must be among the draft’s' }), 'authors must be among the draft’s')
  assert.equal(errorText('no such pad\n'), 'no such pad')
  assert.equal(errorText('<!doctype html><p>Bad gateway'), '')
  assert.equal(errorText({ message: 'x' }), '')
  assert.equal(errorText(null), '')
  assert.equal(errorText('x'.repeat(1000)).length, 300)
})
