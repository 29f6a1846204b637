// The post-it page (/p/{id}/postit), opened from the QR code on a phone:
// one text, an optional name remembered on this device, one button. The
// server answers only once the post-it is stored, so the confirmation
// means it is safe.
import { h } from './dom.js'
import { t, onLangChange } from './i18n.js'
import { langSwitch } from './langswitch.js'
import { storedName, setStoredName } from './user.js'

export const maxText = 1000
export const maxName = 60 // what the stored display name keeps

// errorKey names the message for a refused post-it; the server's own text
// tells a finished pad from a read-only link, both 403.
export function errorKey (status, serverMessage = '') {
  switch (status) {
    case 400: return 'postit.error.invalid'
    case 403: return /finished/i.test(serverMessage) ? 'postit.error.finished' : 'postit.error.readOnly'
    case 404: return 'postit.error.notFound'
    case 413: return 'postit.error.full'
    case 429: return 'postit.error.tooMany'
    default: return 'postit.error.other'
  }
}

export function startPostit ({ root, id }) {
  const texts = []
  const label = (el, fn) => {
    texts.push(() => fn(el))
    fn(el)
    return el
  }
  const text = h('textarea', { id: 'postit-text', name: 'text', rows: '5', maxlength: String(maxText), required: true, autofocus: true, onkeydown: submitOnCtrlEnter })
  const name = h('input', { id: 'postit-name', name: 'name', type: 'text', maxlength: String(maxName), autocomplete: 'name', value: storedName() || '' })
  const send = h('button', { type: 'submit', class: 'primary postit-send' })
  const message = h('p', { id: 'postit-message', class: 'postit-message', role: 'status', 'aria-live': 'polite' })
  let shown = null // [key, kind] of the message, redrawn on a language switch
  let busy = false
  const form = h('form', { class: 'postit-form', onsubmit: submit },
    label(h('label', { for: 'postit-text' }), el => { el.textContent = t('postit.textLabel') }),
    text,
    label(h('p', { class: 'help', id: 'postit-text-help' }), el => { el.textContent = t('postit.textHelp') }),
    label(h('label', { for: 'postit-name' }), el => { el.textContent = t('postit.nameLabel') }),
    name,
    send,
    message)
  text.setAttribute('aria-describedby', 'postit-text-help')
  label(send, el => { el.textContent = t(busy ? 'postit.sending' : 'postit.send') })
  label(message, el => { el.textContent = shown ? t(shown[0]) : '' })

  root.replaceChildren(
    h('header', { class: 'topbar home-bar' }, h('a', { class: 'brand', href: '/' }, 'commonpad'), h('div', { class: 'actions' }, langSwitch())),
    h('main', { id: 'main', class: 'postit' },
      label(h('h1', {}), el => { el.textContent = t('postit.title') }),
      label(h('p', { class: 'lead' }), el => { el.textContent = t('postit.lead') }),
      form))
  onLangChange(() => texts.forEach(fn => fn()))
  document.title = 'commonpad'
  text.focus()
  checkPad()

  function show (key, kind) {
    shown = [key, kind]
    message.className = `postit-message ${kind}`
    message.textContent = t(key)
  }

  // Only the edit id takes post-its; a read-only id's metadata lacks it.
  async function checkPad () {
    try {
      const res = await fetch(`/api/pads/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' } })
      if (res.status === 404) return refuse('postit.error.notFound')
      if (!res.ok) return
      const pad = await res.json()
      if (!pad.id) return refuse('postit.error.readOnly')
      if (pad.status === 'finished') return refuse('postit.error.finished')
    } catch { } // sending will say what is wrong
  }

  function refuse (key) {
    show(key, 'error')
    text.disabled = true
    name.disabled = true
    send.disabled = true
  }

  function submitOnCtrlEnter (e) {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault()
      form.requestSubmit()
    }
  }

  async function submit (e) {
    e.preventDefault()
    if (busy) return
    const body = { text: text.value.trim(), name: name.value.trim() }
    if (!body.text) {
      show('postit.error.empty', 'error')
      text.focus()
      return
    }
    setStoredName(body.name)
    busy = true
    send.disabled = true
    send.textContent = t('postit.sending')
    try {
      const res = await fetch(`/api/pads/${encodeURIComponent(id)}/postits`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body)
      })
      if (res.ok) {
        text.value = ''
        show('postit.sent', 'ok')
      } else {
        let msg = ''
        try { msg = (await res.json()).error || '' } catch { }
        show(errorKey(res.status, msg), 'error')
      }
    } catch {
      show('postit.error.network', 'error')
    } finally {
      busy = false
      send.disabled = false
      send.textContent = t('postit.send')
      text.focus()
    }
  }
}
