// The warning shown when a pad was finished while this device held edits
// the server never stored: the server refuses them now, and they would
// otherwise stay unseen in this browser's storage.
import { h } from './dom.js'
import { t, onLangChange } from './i18n.js'

// unsavedNotice builds the hidden warning; text returns this device's
// version of the pad, read when the person asks for a copy so that it is
// the one on screen.
export function unsavedNotice ({ text }) {
  const message = h('p', {})
  const copyBtn = h('button', { type: 'button', class: 'unsaved-copy', onclick: copy })
  const outcome = h('p', { class: 'help unsaved-outcome', role: 'status' })
  const area = h('textarea', { class: 'unsaved-text', readonly: true, rows: '8', hidden: true })
  const el = h('div', { class: 'unsaved-notice', role: 'alert', hidden: true }, message, h('p', {}, copyBtn), outcome, area)
  let outcomeKey = ''

  function render () {
    message.textContent = el.hidden ? '' : t('pad.unsaved')
    copyBtn.textContent = t('pad.unsavedCopy')
    outcome.textContent = outcomeKey ? t(outcomeKey) : ''
    area.setAttribute('aria-label', t('pad.unsavedText'))
  }
  onLangChange(render)
  render()

  async function copy () {
    const value = text()
    try {
      await navigator.clipboard.writeText(value)
      outcomeKey = 'pad.unsavedCopied'
      area.hidden = true
    } catch {
      // No clipboard (an insecure origin, or permission refused): the text
      // is put where the person can copy it by hand.
      outcomeKey = 'pad.unsavedSelect'
      area.value = value
      area.hidden = false
      area.focus()
      area.select()
    }
    render()
  }

  return {
    el,
    // checked records the outcome of the comparison (data-checked says it
    // is known) and reveals the warning if edits are missing; the text goes
    // in afterwards, which is what makes screen readers announce an alert.
    checked (missing) {
      el.dataset.checked = missing ? 'missing' : 'none'
      if (!missing || !el.hidden) return
      el.hidden = false
      render()
    }
  }
}
