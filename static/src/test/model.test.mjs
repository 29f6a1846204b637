// The schema is the document model other editors rely on (MODEL.md): its
// names, attributes and their Yjs encoding must not drift.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import * as Y from 'yjs'
import { prosemirrorToYXmlFragment, yXmlFragmentToProseMirrorRootNode } from 'y-prosemirror'
import { readFile } from 'node:fs/promises'
import { schema } from '../editor/schema.js'

test('node and mark names are TipTap StarterKit\'s and MODEL.md lists them all', async () => {
  assert.deepEqual(Object.keys(schema.nodes).sort(), [
    'blockquote', 'bulletList', 'codeBlock', 'doc', 'hardBreak', 'heading', 'horizontalRule',
    'listItem', 'orderedList', 'paragraph', 'text'
  ])
  assert.deepEqual(Object.keys(schema.marks).sort(), ['bold', 'code', 'italic', 'link', 'strike', 'underline'])
  const model = await readFile(new URL('../../MODEL.md', import.meta.url), 'utf8')
  for (const name of [...Object.keys(schema.nodes), ...Object.keys(schema.marks)]) {
    if (name === 'doc' || name === 'text') continue
    assert.match(model, new RegExp('`' + name + '`'), `MODEL.md does not name ${name}`)
  }
})

test('a document round-trips through the XmlFragment "default"', () => {
  const { nodes: n, marks: m } = schema
  const doc = n.doc.create(null, [
    n.heading.create({ level: 2 }, schema.text('Title')),
    n.paragraph.create(null, [
      schema.text('a '),
      schema.text('bold', [m.bold.create()]),
      schema.text(' '),
      schema.text('link', [m.link.create({ href: 'https://example.org' })]),
      n.hardBreak.create()
    ]),
    n.orderedList.create({ start: 3 }, [n.listItem.create(null, n.paragraph.create(null, schema.text('three')))]),
    n.blockquote.create(null, n.paragraph.create(null, schema.text('quoted')))
  ])
  const ydoc = new Y.Doc()
  const frag = ydoc.getXmlFragment('default')
  prosemirrorToYXmlFragment(doc, frag)

  const heading = frag.get(0)
  assert.equal(heading.nodeName, 'heading')
  assert.equal(heading.getAttribute('level'), 2, 'level is a number, as TipTap writes it')
  const para = frag.get(1)
  assert.deepEqual(plain(para.get(0).toDelta().map(d => [d.insert, d.attributes ?? null])), [
    ['a ', null], ['bold', { bold: {} }], [' ', null], ['link', { link: { href: 'https://example.org' } }]
  ])
  assert.equal(para.get(1).nodeName, 'hardBreak')
  assert.equal(frag.get(2).nodeName, 'orderedList')
  assert.equal(frag.get(2).getAttribute('start'), 3)
  assert.equal(frag.get(2).get(0).nodeName, 'listItem')

  const back = yXmlFragmentToProseMirrorRootNode(frag, schema)
  assert.ok(back.eq(doc), 'the tree read back equals the tree written')
})

test('a link another editor wrote with extra attributes keeps its href', () => {
  const ydoc = new Y.Doc()
  const frag = ydoc.getXmlFragment('default')
  const p = new Y.XmlElement('paragraph')
  const text = new Y.XmlText()
  p.insert(0, [text])
  frag.insert(0, [p])
  text.insert(0, 'site', { link: { href: 'https://example.org', target: '_blank', rel: 'noopener', class: null } })
  const node = yXmlFragmentToProseMirrorRootNode(frag, schema)
  const mark = node.firstChild.firstChild.marks[0]
  assert.equal(mark.type.name, 'link')
  assert.deepEqual(plain(mark.attrs), { href: 'https://example.org' })
})

// plain drops null prototypes (ProseMirror attrs), which deepEqual compares.
function plain (v) {
  return JSON.parse(JSON.stringify(v))
}
