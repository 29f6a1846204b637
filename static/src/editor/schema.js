// The document schema. Node and mark names are TipTap StarterKit's, so a
// TipTap editor bound to the same XmlFragment ("default") reads and writes
// the same tree; static/MODEL.md is the reference. y-prosemirror deletes
// elements whose node name the schema does not know, so every StarterKit
// node and mark is declared here even where the toolbar offers no button.
import { Schema } from 'prosemirror-model'
import { safeHref } from '../links.js'

const nodes = {
  doc: { content: 'block+' },
  paragraph: {
    group: 'block',
    content: 'inline*',
    parseDOM: [{ tag: 'p' }],
    toDOM: () => ['p', 0]
  },
  text: { group: 'inline' },
  heading: {
    attrs: { level: { default: 1 } },
    group: 'block',
    content: 'inline*',
    defining: true,
    parseDOM: [1, 2, 3, 4, 5, 6].map(level => ({ tag: 'h' + level, attrs: { level } })),
    toDOM: node => ['h' + clampLevel(node.attrs.level), 0]
  },
  blockquote: {
    group: 'block',
    content: 'block+',
    defining: true,
    parseDOM: [{ tag: 'blockquote' }],
    toDOM: () => ['blockquote', 0]
  },
  bulletList: {
    group: 'block',
    content: 'listItem+',
    parseDOM: [{ tag: 'ul' }],
    toDOM: () => ['ul', 0]
  },
  orderedList: {
    attrs: { start: { default: 1 } },
    group: 'block',
    content: 'listItem+',
    parseDOM: [{
      tag: 'ol',
      getAttrs: dom => ({ start: dom.hasAttribute('start') ? Number(dom.getAttribute('start')) || 1 : 1 })
    }],
    toDOM: node => (node.attrs.start === 1 ? ['ol', 0] : ['ol', { start: String(node.attrs.start) }, 0])
  },
  listItem: {
    content: 'paragraph block*',
    defining: true,
    parseDOM: [{ tag: 'li' }],
    toDOM: () => ['li', 0]
  },
  codeBlock: {
    attrs: { language: { default: null } },
    group: 'block',
    content: 'text*',
    marks: '',
    code: true,
    defining: true,
    parseDOM: [{ tag: 'pre', preserveWhitespace: 'full' }],
    toDOM: () => ['pre', ['code', 0]]
  },
  horizontalRule: {
    group: 'block',
    parseDOM: [{ tag: 'hr' }],
    toDOM: () => ['hr']
  },
  hardBreak: {
    inline: true,
    group: 'inline',
    selectable: false,
    parseDOM: [{ tag: 'br' }],
    toDOM: () => ['br']
  }
}

const marks = {
  link: {
    attrs: { href: {} },
    inclusive: false,
    parseDOM: [{
      tag: 'a[href]',
      getAttrs: dom => {
        const href = safeHref(dom.getAttribute('href'))
        return href ? { href } : false
      }
    }],
    // A link written by another editor may carry any scheme: only safe
    // ones reach the DOM.
    toDOM: mark => {
      const href = safeHref(mark.attrs.href)
      return href
        ? ['a', { href, rel: 'noopener noreferrer nofollow', target: '_blank' }, 0]
        : ['a', { class: 'unsafe-link' }, 0]
    }
  },
  bold: {
    parseDOM: [
      { tag: 'strong' },
      { tag: 'b', getAttrs: dom => dom.style.fontWeight !== 'normal' && null },
      { style: 'font-weight', getAttrs: v => /^(bold(er)?|[5-9]\d\d)$/.test(v) && null }
    ],
    toDOM: () => ['strong', 0]
  },
  italic: {
    parseDOM: [{ tag: 'em' }, { tag: 'i' }, { style: 'font-style=italic' }],
    toDOM: () => ['em', 0]
  },
  strike: {
    parseDOM: [{ tag: 's' }, { tag: 'del' }, { tag: 'strike' }, { style: 'text-decoration=line-through' }],
    toDOM: () => ['s', 0]
  },
  underline: {
    parseDOM: [{ tag: 'u' }, { style: 'text-decoration=underline' }],
    toDOM: () => ['u', 0]
  },
  code: {
    excludes: '_',
    parseDOM: [{ tag: 'code' }],
    toDOM: () => ['code', 0]
  }
}

function clampLevel (level) {
  const n = Number(level)
  return n >= 1 && n <= 6 ? Math.floor(n) : 1
}

export const schema = new Schema({ nodes, marks })
