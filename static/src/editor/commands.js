// Editing commands shared by the keymap and the toolbar, with the checks the
// toolbar uses to show which formats are on (aria-pressed).
import { setBlockType, toggleMark, wrapIn, lift, chainCommands, exitCode } from 'prosemirror-commands'
import { wrapInList, liftListItem, sinkListItem, splitListItem } from 'prosemirror-schema-list'
import { undoCommand, redoCommand } from 'y-prosemirror'
import { schema } from './schema.js'

const { nodes, marks } = schema

export const toggleBold = toggleMark(marks.bold)
export const toggleItalic = toggleMark(marks.italic)
export const toggleStrike = toggleMark(marks.strike)
export const toggleUnderline = toggleMark(marks.underline)
export const toggleCode = toggleMark(marks.code)
export const undo = undoCommand
export const redo = redoCommand
export const splitItem = splitListItem(nodes.listItem)
export const sinkItem = sinkListItem(nodes.listItem)
export const liftItem = liftListItem(nodes.listItem)

export const hardBreak = chainCommands(exitCode, (state, dispatch) => {
  if (dispatch) dispatch(state.tr.replaceSelectionWith(nodes.hardBreak.create()).scrollIntoView())
  return true
})

// toggleHeading makes the current block a heading of level, or a paragraph
// again when it already is one.
export function toggleHeading (level) {
  return (state, dispatch) => {
    if (blockIs(state, nodes.heading, { level })) return setBlockType(nodes.paragraph)(state, dispatch)
    return setBlockType(nodes.heading, { level })(state, dispatch)
  }
}

// toggleList wraps the selection in a list of type, lifts it out when it
// is already in one, or converts a list of the other kind.
export function toggleList (type) {
  return (state, dispatch) => {
    const list = enclosing(state, n => n === nodes.bulletList || n === nodes.orderedList)
    if (!list) return wrapInList(type)(state, dispatch)
    if (list.node.type === type) return liftItem(state, dispatch)
    if (dispatch) dispatch(state.tr.setNodeMarkup(list.pos, type))
    return true
  }
}

export function toggleBlockquote (state, dispatch) {
  if (enclosing(state, n => n === nodes.blockquote)) return lift(state, dispatch)
  return wrapIn(nodes.blockquote)(state, dispatch)
}

// setLink puts href on the selection, or inserts href as linked text when
// nothing is selected; a null href removes the link around the cursor.
export function setLink (href) {
  return (state, dispatch) => {
    const { from, to, empty } = state.selection
    const type = marks.link
    let [start, end] = [from, to]
    if (empty) {
      const range = markRange(state, type)
      if (range) [start, end] = [range.from, range.to]
    }
    if (!dispatch) return true
    const tr = state.tr
    if (href == null) {
      tr.removeMark(start, end, type)
    } else if (start === end) {
      tr.insert(start, schema.text(href, [type.create({ href })]))
    } else {
      tr.removeMark(start, end, type).addMark(start, end, type.create({ href }))
    }
    dispatch(tr.scrollIntoView())
    return true
  }
}

// currentLink returns the href of the link at the selection, if any.
export function currentLink (state) {
  const { $from, from, to, empty } = state.selection
  const found = empty
    ? marks.link.isInSet(state.storedMarks || $from.marks())
    : firstMarkIn(state, from, to, marks.link)
  return found ? found.attrs.href : null
}

export function markActive (state, type) {
  const { from, $from, to, empty } = state.selection
  if (empty) return !!type.isInSet(state.storedMarks || $from.marks())
  return state.doc.rangeHasMark(from, to, type)
}

export function blockIs (state, type, attrs = {}) {
  const { $from, to } = state.selection
  if (to > $from.end()) return false
  const node = $from.parent
  return node.type === type && Object.entries(attrs).every(([k, v]) => node.attrs[k] === v)
}

export function inside (state, type) {
  return !!enclosing(state, n => n === type)
}

// listType returns the type of the innermost list around the selection.
export function listType (state) {
  const list = enclosing(state, n => n === nodes.bulletList || n === nodes.orderedList)
  return list ? list.node.type : null
}

function enclosing (state, test) {
  const { $from } = state.selection
  for (let d = $from.depth; d > 0; d--) {
    const node = $from.node(d)
    if (test(node.type)) return { node, pos: $from.before(d), depth: d }
  }
  return null
}

function firstMarkIn (state, from, to, type) {
  let found = null
  state.doc.nodesBetween(from, to, node => {
    if (!found) found = type.isInSet(node.marks)
    return !found
  })
  return found
}

// markRange finds the run of text carrying the same mark of type around an
// empty selection (a link split over several text nodes by other marks).
function markRange (state, type) {
  const { $from } = state.selection
  const start = $from.start()
  let run = null
  let hit = null
  $from.parent.forEach((child, offset) => {
    const from = start + offset
    const to = from + child.nodeSize
    const mark = type.isInSet(child.marks)
    if (mark && run && run.to === from && mark.eq(run.mark)) run.to = to
    else run = mark ? { from, to, mark } : null
    if (run && $from.pos >= run.from && $from.pos <= run.to) hit = run
  })
  return hit
}
