// Keyboard shortcuts. Tab indents only inside lists and is otherwise left
// to the browser, so the keyboard can always leave the editor; Escape
// followed by Tab leaves a list too.
import { Plugin } from 'prosemirror-state'
import { keymap } from 'prosemirror-keymap'
import { baseKeymap, setBlockType } from 'prosemirror-commands'
import { undoInputRule } from 'prosemirror-inputrules'
import { schema } from './schema.js'
import * as cmd from './commands.js'

export function buildKeymaps ({ openLinkDialog }) {
  let escaped = false
  const unlessEscaped = command => (state, dispatch, view) => {
    if (escaped) return false
    return command(state, dispatch, view)
  }
  const keys = {
    'Mod-z': cmd.undo,
    'Mod-y': cmd.redo,
    'Shift-Mod-z': cmd.redo,
    Backspace: undoInputRule,
    'Mod-b': cmd.toggleBold,
    'Mod-i': cmd.toggleItalic,
    'Mod-Shift-s': cmd.toggleStrike,
    'Mod-u': cmd.toggleUnderline,
    'Mod-e': cmd.toggleCode,
    'Mod-k': (_state, _dispatch, view) => {
      openLinkDialog(view)
      return true
    },
    'Mod-Alt-0': setBlockType(schema.nodes.paragraph),
    'Mod-Alt-1': cmd.toggleHeading(1),
    'Mod-Alt-2': cmd.toggleHeading(2),
    'Mod-Alt-3': cmd.toggleHeading(3),
    'Mod-Shift-7': cmd.toggleList(schema.nodes.orderedList),
    'Mod-Shift-8': cmd.toggleList(schema.nodes.bulletList),
    'Mod-Shift-b': cmd.toggleBlockquote,
    'Shift-Enter': cmd.hardBreak,
    'Mod-Enter': cmd.hardBreak,
    Enter: cmd.splitItem,
    Tab: unlessEscaped(cmd.sinkItem),
    'Shift-Tab': unlessEscaped(cmd.liftItem),
    'Mod-]': cmd.sinkItem,
    'Mod-[': cmd.liftItem
  }
  // Any key but Escape and Tab ends the escape; this runs before the maps.
  const escapeTracker = new Plugin({
    props: {
      handleKeyDown (_view, event) {
        if (event.key === 'Escape') escaped = true
        else if (event.key !== 'Tab' && event.key !== 'Shift') escaped = false
        return false
      }
    }
  })
  return [escapeTracker, keymap(keys), keymap(baseKeymap)]
}
