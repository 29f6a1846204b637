// The formatting toolbar: one tab stop (the ARIA toolbar pattern), arrow
// keys, Home and End move between buttons, and toggle buttons report their
// state with aria-pressed.
import { h } from '../dom.js'
import { schema } from './schema.js'
import * as cmd from './commands.js'

const { nodes, marks } = schema
const mod = /Mac|iPhone|iPad/.test(typeof navigator !== 'undefined' ? navigator.platform : '') ? '⌘' : 'Ctrl+'

// linkIcon draws two chain links: the emoji is missing from many fonts.
function linkIcon () {
  const ns = 'http://www.w3.org/2000/svg'
  const svg = document.createElementNS(ns, 'svg')
  svg.setAttribute('viewBox', '0 0 24 24')
  svg.setAttribute('width', '18')
  svg.setAttribute('height', '18')
  svg.setAttribute('aria-hidden', 'true')
  svg.setAttribute('focusable', 'false')
  const path = document.createElementNS(ns, 'path')
  path.setAttribute('d', 'M10 14a5 5 0 0 0 7 0l3-3a5 5 0 0 0-7-7l-1 1M14 10a5 5 0 0 0-7 0l-3 3a5 5 0 0 0 7 7l1-1')
  path.setAttribute('fill', 'none')
  path.setAttribute('stroke', 'currentColor')
  path.setAttribute('stroke-width', '2')
  path.setAttribute('stroke-linecap', 'round')
  svg.append(path)
  return svg
}

// Each button: its dictionary key, a visible glyph, the shortcut shown in
// its tooltip, the command it runs, and for toggles whether it is on.
// spoken is the glyph as a word: a person using voice control says what
// they see ("H2"), so the button's name must contain it (WCAG 2.5.3).
export function buttons ({ openLinkDialog }) {
  return [
    { key: 'toolbar.bold', glyph: 'B', cls: 'b', keys: mod + 'B', run: cmd.toggleBold, on: s => cmd.markActive(s, marks.bold) },
    { key: 'toolbar.italic', glyph: 'I', cls: 'i', keys: mod + 'I', run: cmd.toggleItalic, on: s => cmd.markActive(s, marks.italic) },
    { key: 'toolbar.strike', glyph: 'S', cls: 's', keys: mod + 'Shift+S', run: cmd.toggleStrike, on: s => cmd.markActive(s, marks.strike) },
    { sep: true },
    { key: 'toolbar.heading1', spoken: 'H1', glyph: 'H1', keys: mod + 'Alt+1', run: cmd.toggleHeading(1), on: s => cmd.blockIs(s, nodes.heading, { level: 1 }) },
    { key: 'toolbar.heading2', spoken: 'H2', glyph: 'H2', keys: mod + 'Alt+2', run: cmd.toggleHeading(2), on: s => cmd.blockIs(s, nodes.heading, { level: 2 }) },
    { key: 'toolbar.heading3', spoken: 'H3', glyph: 'H3', keys: mod + 'Alt+3', run: cmd.toggleHeading(3), on: s => cmd.blockIs(s, nodes.heading, { level: 3 }) },
    { sep: true },
    { key: 'toolbar.bulletList', glyph: '•≡', keys: mod + 'Shift+8', run: cmd.toggleList(nodes.bulletList), on: s => cmd.listType(s) === nodes.bulletList },
    { key: 'toolbar.orderedList', spoken: '1.', glyph: '1.≡', keys: mod + 'Shift+7', run: cmd.toggleList(nodes.orderedList), on: s => cmd.listType(s) === nodes.orderedList },
    { key: 'toolbar.blockquote', glyph: '❝', keys: mod + 'Shift+B', run: cmd.toggleBlockquote, on: s => cmd.inside(s, nodes.blockquote) },
    { key: 'toolbar.link', glyph: linkIcon, keys: mod + 'K', run: (_s, dispatch, view) => { if (dispatch) openLinkDialog(view); return true }, on: s => cmd.currentLink(s) != null },
    { sep: true },
    { key: 'toolbar.undo', glyph: '↶', keys: mod + 'Z', run: cmd.undo },
    { key: 'toolbar.redo', glyph: '↷', keys: mod + 'Y', run: cmd.redo }
  ]
}

// buttonName is a button's accessible name: its word, then what it shows
// when that is not already the word's first letter ("Gras, B" but "Bold").
export function buttonName (word, def) {
  const shown = def.spoken || (/^[A-Z]$/.test(def.glyph) ? def.glyph : '')
  if (!shown || (shown.length === 1 && word.toUpperCase().startsWith(shown))) return word
  return `${word}, ${shown}`
}

export function createToolbar ({ t, onLangChange, openLinkDialog }) {
  const defs = buttons({ openLinkDialog })
  let view = null
  const items = []
  const el = h('div', { class: 'toolbar', role: 'toolbar', 'aria-controls': 'editor' })
  for (const def of defs) {
    if (def.sep) {
      el.append(h('span', { class: 'toolbar-sep', 'aria-hidden': 'true' }))
      continue
    }
    const btn = h('button', {
      type: 'button',
      class: 'tool' + (def.cls ? ' tool-' + def.cls : ''),
      tabindex: items.length === 0 ? '0' : '-1',
      dataset: { cmd: def.key.split('.')[1] }
    }, typeof def.glyph === 'function' ? def.glyph() : h('span', { 'aria-hidden': 'true' }, def.glyph))
    if (def.on) btn.setAttribute('aria-pressed', 'false')
    // Keep the editor's selection: a mouse press on a button must not blur it.
    btn.addEventListener('mousedown', e => e.preventDefault())
    btn.addEventListener('click', () => {
      if (!view) return
      def.run(view.state, view.dispatch, view)
      if (def.key !== 'toolbar.link') view.focus()
    })
    items.push({ def, btn })
    el.append(btn)
  }
  el.addEventListener('keydown', e => {
    const enabled = items.filter(i => !i.btn.disabled)
    const at = enabled.findIndex(i => i.btn === document.activeElement)
    if (at < 0) return
    let next = null
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = enabled[(at + 1) % enabled.length]
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = enabled[(at - 1 + enabled.length) % enabled.length]
    else if (e.key === 'Home') next = enabled[0]
    else if (e.key === 'End') next = enabled[enabled.length - 1]
    if (!next) return
    e.preventDefault()
    focusItem(next)
  })
  function focusItem (item) {
    for (const i of items) i.btn.tabIndex = i === item ? 0 : -1
    item.btn.focus()
  }
  function labels () {
    el.setAttribute('aria-label', t('toolbar.label'))
    for (const { def, btn } of items) {
      btn.setAttribute('aria-label', buttonName(t(def.key), def))
      btn.title = `${t(def.key)} (${def.keys})`
    }
  }
  labels()
  onLangChange(labels)
  return {
    el,
    // update reflects the editor state: pressed toggles, unavailable actions.
    update (v) {
      view = v
      const state = v.state
      const editable = v.editable
      for (const item of items) {
        const { def, btn } = item
        if (def.on) btn.setAttribute('aria-pressed', String(!!def.on(state)))
        const can = editable && def.run(state, undefined, v) !== false
        btn.disabled = !can
      }
      // The roving tab stop must stay on an enabled button.
      const current = items.find(i => i.btn.tabIndex === 0)
      if (!current || current.btn.disabled) {
        const first = items.find(i => !i.btn.disabled) || items[0]
        for (const i of items) i.btn.tabIndex = i === first ? 0 : -1
      }
    }
  }
}
