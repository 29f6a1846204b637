import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readDraft, readResult, initialForm, publishBody, errorText, safeURL, loadDraft } from '../publishform.js'

// Published before, and the note's title edited since: the draft proposes
// the edited one, as publishing without a title would keep it.
const published = {
  title: 'Compte rendu, corrigé',
  authors: ['Alice', 'Bob'],
  status: 'open',
  note: {
    slug: 'reunion-du-12-mars',
    title: '  Compte rendu, corrigé ',
    version: 2,
    visibility: 'public',
    urls: { note: 'http://127.0.0.1:8080/n/reunion-du-12-mars', version: 'http://127.0.0.1:8080/n/reunion-du-12-mars/v/2', markdown: 'x', text: 'javascript:alert(1)' }
  }
}

test('a draft is read as the server sent it', () => {
  const d = readDraft(published)
  assert.equal(d.title, 'Compte rendu, corrigé')
  assert.equal(d.note.title, 'Compte rendu, corrigé')
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
  assert.deepEqual(odd.note, { slug: 'n', title: '', version: 1, visibility: 'unlisted', urls: { note: '/n/n', version: '/n/n', markdown: '', text: '' } })
  assert.equal(readDraft({ status: 'finished' }).status, 'finished')
})

test('the form starts with every author, the draft title and the note’s visibility', () => {
  const first = initialForm(readDraft({ title: 'Notes', authors: ['Alice', 'Bob'], status: 'open', note: null }))
  assert.equal(first.title, 'Notes')
  assert.deepEqual([...first.checked], ['Alice', 'Bob'])
  assert.equal(first.visibility, 'unlisted', 'a first publication is unlisted unless chosen')
  assert.equal(first.finish, false)
  const again = initialForm(readDraft(published))
  assert.equal(again.visibility, 'public', 'publishing again keeps the note’s visibility')
  assert.equal(again.title, 'Compte rendu, corrigé', 'publishing again proposes the title the server would keep')
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

// fakeServer answers every request with status and body, and lists what
// was asked.
function fakeServer (status, body) {
  const asked = []
  const get = async (url, init) => {
    asked.push({ url, accept: init?.headers?.Accept, language: init?.headers?.['Accept-Language'] })
    return { ok: status >= 200 && status < 300, status, text: async () => typeof body === 'string' ? body : JSON.stringify(body) }
  }
  return { asked, get }
}

test('the draft takes one request and its title is the one proposed', async () => {
  const server = fakeServer(200, published)
  const got = await loadDraft('/api/pads/abc/publish', { get: server.get, language: 'fr' })
  assert.deepEqual(server.asked, [{ url: '/api/pads/abc/publish', accept: 'application/json', language: 'fr' }], 'no second request for the note')
  assert.equal(got.draft.title, 'Compte rendu, corrigé')
  assert.equal(initialForm(got.draft).title, 'Compte rendu, corrigé')
})

test('a failed draft says why, a lost network says so, neither throws', async () => {
  assert.deepEqual(await loadDraft('/x', { get: fakeServer(404, { error: 'no such pad' }).get }), { reason: 'no such pad' })
  assert.deepEqual(await loadDraft('/x', { get: fakeServer(502, '<html>Bad gateway').get }), { reason: '502' })
  assert.deepEqual(await loadDraft('/x', { get: async () => { throw new TypeError('Failed to fetch') } }), { network: true })
  const garbled = await loadDraft('/x', { get: fakeServer(200, 'not json').get })
  assert.equal(garbled.draft.title, '', 'a body that is not JSON gives an empty draft')
})
