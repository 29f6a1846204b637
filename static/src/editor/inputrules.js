// Markdown-style shortcuts typed at the start of a line ("# ", "- ", "1. ",
// "> ", "```", "---") and around words (**bold**, *italic*, ~~strike~~,
// `code`). Backspace right after a rule fired undoes it.
import { InputRule, inputRules, textblockTypeInputRule, wrappingInputRule } from 'prosemirror-inputrules'
import { TextSelection } from 'prosemirror-state'
import { schema } from './schema.js'

const { nodes, marks } = schema

// markRule applies type to the text between the delimiters the regexp
// matched (group 1 is the text) and drops the delimiters.
function markRule (regexp, type) {
  return new InputRule(regexp, (state, match, start, end) => {
    const text = match[1]
    const textStart = start + match[0].indexOf(text)
    const textEnd = textStart + text.length
    const tr = state.tr
    // end excludes the character being typed, the last of the closing
    // delimiter: that one is never inserted.
    if (textEnd < end) tr.delete(textEnd, end)
    if (textStart > start) tr.delete(start, textStart)
    tr.addMark(start, start + text.length, type.create())
    tr.removeStoredMark(type)
    return tr
  })
}

// delimited matches text between two runs of the character ch (n of them
// on each side) that neither starts nor ends with a space and is not
// preceded by ch or a word character, so "2*3*4" and "snake_case_name"
// stay as typed.
function delimited (ch, n) {
  const d = '\\' + ch
  const run = d.repeat(n)
  return new RegExp(`(?<![${d}\\w])${run}([^${d}\\s](?:[^${d}]*[^${d}\\s])?)${run}$`)
}

export function buildInputRules () {
  return inputRules({
    rules: [
      textblockTypeInputRule(/^(#{1,6})\s$/, nodes.heading, m => ({ level: m[1].length })),
      wrappingInputRule(/^\s*>\s$/, nodes.blockquote),
      wrappingInputRule(/^\s*([-+*])\s$/, nodes.bulletList),
      wrappingInputRule(
        /^(\d+)\.\s$/, nodes.orderedList,
        m => ({ start: Number(m[1]) }),
        (m, node) => node.childCount + node.attrs.start === Number(m[1])
      ),
      textblockTypeInputRule(/^```$/, nodes.codeBlock),
      new InputRule(/^(?:---|___|\*\*\*)$/, (state, _match, start) => {
        const $start = state.doc.resolve(start)
        if (!$start.node(-1).canReplaceWith($start.index(-1), $start.indexAfter(-1), nodes.horizontalRule)) return null
        // A rule is a leaf: put an empty paragraph after it to keep typing in.
        const tr = state.tr.replaceWith($start.before(), $start.after(), [nodes.horizontalRule.create(), nodes.paragraph.create()])
        return tr.setSelection(TextSelection.create(tr.doc, $start.before() + 2))
      }),
      markRule(delimited('*', 2), marks.bold),
      markRule(delimited('_', 2), marks.bold),
      markRule(delimited('*', 1), marks.italic),
      markRule(delimited('_', 1), marks.italic),
      markRule(delimited('~', 2), marks.strike),
      markRule(/(?<![`\w])`([^`]+)`$/, marks.code)
    ]
  })
}
