// createEditor binds a ProseMirror view to the pad's XmlFragment through
// y-prosemirror: ySyncPlugin keeps both in step, yCursorPlugin shows the
// others' carets and yUndoPlugin undoes only this person's edits.
import { EditorState } from 'prosemirror-state'
import { EditorView } from 'prosemirror-view'
import { ySyncPlugin, yCursorPlugin, yUndoPlugin } from 'y-prosemirror'
import { schema } from './schema.js'
import { buildInputRules } from './inputrules.js'
import { buildKeymaps } from './keymap.js'
import { cursorBuilder, selectionBuilder } from './cursors.js'

export function createEditor ({ mount, fragment, awareness, editable, label, openLinkDialog, onChange = () => {} }) {
  let canEdit = editable
  // The fragment is usually still empty here (the socket and IndexedDB
  // fill it later); ySyncPlugin renders it on creation and on every change.
  const state = EditorState.create({
    schema,
    plugins: [
      ySyncPlugin(fragment),
      yCursorPlugin(awareness, { cursorBuilder, selectionBuilder }),
      yUndoPlugin(),
      ...buildKeymaps({ openLinkDialog }),
      buildInputRules()
    ]
  })
  const view = new EditorView(mount, {
    state,
    editable: () => canEdit,
    attributes: () => ({
      class: 'pad-text',
      role: 'textbox',
      'aria-multiline': 'true',
      'aria-label': label(),
      'aria-readonly': canEdit ? 'false' : 'true',
      spellcheck: 'true'
    }),
    // Not `view`: ySyncPlugin dispatches while the view is being built.
    dispatchTransaction (tr) {
      this.updateState(this.state.apply(tr))
      onChange(this)
    }
  })
  return {
    view,
    setEditable (on) {
      canEdit = on
      view.setProps({})
      onChange(view)
    },
    // refresh re-reads the attributes (the label changes with the language).
    refresh () {
      view.setProps({})
    },
    destroy () {
      view.destroy()
    }
  }
}
