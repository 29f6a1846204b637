// The share panel: edit link, read-only link, embed snippet and the QR code
// of the post-it page for the people in the room.
import { h } from './dom.js'
import { t, onLangChange } from './i18n.js'
import { qrSvg } from './qr.js'

export function padLinks (base, pad) {
  const b = base.replace(/\/+$/, '')
  return {
    edit: `${b}/p/${pad.id}`,
    readOnly: pad.readOnlyId ? `${b}/r/${pad.readOnlyId}` : '',
    embed: `${b}/p/${pad.id}/embed`,
    postit: `${b}/p/${pad.id}/postit`
  }
}

// embedSnippet is the HTML to paste into another site. The title is
// escaped: it comes from whoever named the pad.
export function embedSnippet (url, title) {
  const esc = s => String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  return `<iframe src="${esc(url)}" title="${esc(title)}" width="100%" height="480" style="border:1px solid #ccc;border-radius:4px" allow="clipboard-write"></iframe>`
}

async function copyText (text) {
  try {
    await navigator.clipboard.writeText(text)
    return true
  } catch {
    // Plain http outside localhost has no clipboard API.
    const ta = h('textarea', { class: 'visually-hidden' }, text)
    document.body.append(ta)
    ta.select()
    const ok = document.execCommand('copy')
    ta.remove()
    return ok
  }
}

// sharePanel builds the dialog; open(pad, title) fills it for a pad
// {id, readOnlyId} (readOnlyId may be missing until the server knows it).
export function sharePanel ({ base }) {
  const texts = []
  const label = (el, fn) => {
    texts.push([el, fn])
    fn(el)
    return el
  }
  const announce = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' })
  const body = h('div', { class: 'share-body' })
  const dialog = h('dialog', { class: 'dialog share-dialog', 'aria-labelledby': 'share-heading' },
    label(h('h2', { id: 'share-heading' }), el => { el.textContent = t('share.heading') }),
    body,
    announce,
    h('form', { method: 'dialog', class: 'dialog-actions' },
      label(h('button', { type: 'submit', class: 'primary' }), el => { el.textContent = t('dialog.close') }))
  )
  document.body.append(dialog)
  let last = null

  function field (id, titleKey, value, multiline) {
    const input = multiline
      ? h('textarea', { id, readonly: true, rows: '3', spellcheck: 'false' }, value)
      : h('input', { id, type: 'text', readonly: true, value, spellcheck: 'false' })
    input.addEventListener('focus', () => input.select())
    const btn = h('button', { type: 'button', class: 'copy' })
    btn.addEventListener('click', async () => {
      if (await copyText(value)) announce.textContent = t('share.copied')
    })
    btn.textContent = t('share.copy')
    btn.setAttribute('aria-label', t('share.copyNamed', { what: t(titleKey) }))
    // Rebuilt by render on a language switch, so no label() here.
    return h('div', { class: 'share-field' },
      h('label', { for: id }, t(titleKey)),
      h('div', { class: 'share-row' }, input, btn))
  }

  function render () {
    if (!last) return
    const { pad, title } = last
    const links = padLinks(base, pad)
    body.replaceChildren(
      field('share-edit', 'share.edit', links.edit),
      pad.readOnlyId
        ? field('share-readonly', 'share.readOnly', links.readOnly)
        : h('p', { class: 'help' }, t('share.readOnlyUnavailable')),
      field('share-embed', 'share.embed', embedSnippet(links.embed, t('share.embedTitle', { title })), true),
      h('figure', { class: 'share-qr' },
        qrSvg(links.postit, t('share.qrLabel', { url: links.postit })),
        h('figcaption', {}, t('share.postit'), h('br'), h('a', { href: links.postit, class: 'postit-url' }, links.postit)))
    )
  }
  onLangChange(() => {
    texts.forEach(([el, fn]) => fn(el))
    render()
  })
  return {
    open (pad, title) {
      last = { pad, title }
      announce.textContent = ''
      render()
      dialog.showModal()
      dialog.querySelector('#share-edit')?.focus()
    },
    update (pad, title) {
      if (last) last = { pad, title }
      if (dialog.open) render()
    }
  }
}
