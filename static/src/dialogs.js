// Modal dialogs on the native <dialog> element, which keeps focus inside
// while open, closes on Escape and gives focus back to what opened it.
import { h } from './dom.js'
import { t, onLangChange } from './i18n.js'
import { normalizeHref } from './links.js'
import { currentLink, setLink } from './editor/commands.js'

// i18nDialog builds a dialog whose texts follow the language: texts maps
// elements to a function that (re)labels them.
function i18nDialog (cls, build) {
  const texts = []
  const label = (el, fn) => {
    texts.push([el, fn])
    fn(el)
    return el
  }
  const dialog = h('dialog', { class: 'dialog ' + cls })
  build(dialog, label)
  onLangChange(() => texts.forEach(([el, fn]) => fn(el)))
  document.body.append(dialog)
  return dialog
}

// nameDialog asks for the display name; onSave receives the trimmed name,
// or null when the person closed the dialog without one.
export function nameDialog ({ onSave }) {
  let input, heading
  const dialog = i18nDialog('name-dialog', (d, label) => {
    heading = label(h('h2', { id: 'name-heading' }), el => { el.textContent = t('name.heading') })
    d.setAttribute('aria-labelledby', 'name-heading')
    input = h('input', { id: 'name-input', name: 'name', type: 'text', maxlength: '60', autocomplete: 'nickname', required: true })
    const form = h('form', { method: 'dialog' },
      heading,
      label(h('p', { class: 'help', id: 'name-help' }), el => { el.textContent = t('name.help') }),
      label(h('label', { for: 'name-input' }), el => { el.textContent = t('name.label') }),
      input,
      h('div', { class: 'dialog-actions' },
        label(h('button', { type: 'submit', class: 'primary', value: 'save' }), el => { el.textContent = t('name.save') }))
    )
    input.setAttribute('aria-describedby', 'name-help')
    d.append(form)
  })
  dialog.addEventListener('close', () => {
    const name = dialog.returnValue === 'save' ? input.value.trim() : ''
    onSave(name || null)
  })
  return {
    open (current) {
      input.value = current || ''
      dialog.returnValue = ''
      dialog.showModal()
      input.focus()
      input.select()
    }
  }
}

// linkDialog edits the link on the editor's selection.
export function linkDialog () {
  let input, error, removeBtn
  let view = null
  const dialog = i18nDialog('link-dialog', (d, label) => {
    d.setAttribute('aria-labelledby', 'link-heading')
    input = h('input', { id: 'link-input', type: 'text', inputmode: 'url', autocomplete: 'url', spellcheck: 'false' })
    error = h('p', { class: 'error', id: 'link-error', role: 'alert' })
    input.setAttribute('aria-describedby', 'link-error')
    removeBtn = label(h('button', { type: 'button', onclick: () => finish(null) }), el => { el.textContent = t('link.remove') })
    const form = h('form', {
      onsubmit: e => {
        e.preventDefault()
        const href = normalizeHref(input.value)
        if (!href) {
          error.textContent = t('link.invalid')
          input.setAttribute('aria-invalid', 'true')
          input.focus()
          return
        }
        finish(href)
      }
    },
    label(h('h2', { id: 'link-heading' }), el => { el.textContent = t('link.heading') }),
    label(h('label', { for: 'link-input' }), el => { el.textContent = t('link.label') }),
    input,
    error,
    h('div', { class: 'dialog-actions' },
      label(h('button', { type: 'submit', class: 'primary' }), el => { el.textContent = t('link.apply') }),
      removeBtn,
      label(h('button', { type: 'button', onclick: () => dialog.close() }), el => { el.textContent = t('dialog.cancel') }))
    )
    d.append(form)
  })
  dialog.addEventListener('close', () => view && view.focus())
  function finish (href) {
    setLink(href)(view.state, view.dispatch)
    dialog.close()
  }
  return {
    open (v) {
      if (!v.editable) return
      view = v
      const href = currentLink(v.state)
      input.value = href || ''
      input.removeAttribute('aria-invalid')
      error.textContent = ''
      removeBtn.hidden = href == null
      dialog.showModal()
      input.focus()
    }
  }
}
