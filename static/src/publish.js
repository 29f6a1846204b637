// The Publish dialog: makes the pad a note at /n/{slug}, or the note's
// next version, under the title, authors and visibility chosen here. The
// server proposes them (the draft); people correct the title and may take
// their name off, never add one.
import { h } from './dom.js'
import { t, lang, onLangChange } from './i18n.js'
import { loadDraft, readBody, readResult, initialForm, publishBody, errorText, maxTitle } from './publishform.js'

// publishDialog builds the dialog for the pad whose edit id is id.
// onFinished runs once the server has finished the pad.
export function publishDialog ({ id, onFinished = () => {} }) {
  const texts = []
  const label = (el, fn) => {
    texts.push([el, fn])
    fn(el)
    return el
  }
  const api = `/api/pads/${encodeURIComponent(id)}/publish`

  const status = h('p', { class: 'help', id: 'publish-status', role: 'status', 'aria-live': 'polite' })
  const error = h('p', { class: 'error', id: 'publish-error', role: 'alert' })
  const existing = h('p', { class: 'notice publish-existing', hidden: true })
  const title = h('input', { id: 'publish-title', name: 'title', type: 'text', maxlength: String(maxTitle), autocomplete: 'off', spellcheck: 'true' })
  const authorList = h('ul', { class: 'publish-authors' })
  const noAuthors = label(h('p', { class: 'help', hidden: true }), el => { el.textContent = t('publish.noAuthors') })
  const radios = {}
  const visibility = ['unlisted', 'public'].map(v => {
    radios[v] = h('input', { id: 'publish-' + v, type: 'radio', name: 'publish-visibility', value: v })
    return h('div', { class: 'check' }, radios[v],
      label(h('label', { for: 'publish-' + v }), el => { el.textContent = t('publish.' + v) }))
  })
  const finish = h('input', { id: 'publish-finish', type: 'checkbox', name: 'finish' })
  finish.setAttribute('aria-describedby', 'publish-finish-help')
  const submit = h('button', { type: 'submit', class: 'primary', id: 'publish-submit' })
  const result = h('div', { class: 'publish-result', role: 'status', hidden: true })
  const fields = h('div', { class: 'publish-fields', hidden: true },
    existing,
    label(h('label', { for: 'publish-title' }), el => { el.textContent = t('publish.titleLabel') }),
    title,
    h('fieldset', { 'aria-describedby': 'publish-authors-help' },
      label(h('legend', {}), el => { el.textContent = t('publish.authors') }),
      label(h('p', { class: 'help', id: 'publish-authors-help' }), el => { el.textContent = t('publish.authorsHelp') }),
      authorList,
      noAuthors),
    h('fieldset', {},
      label(h('legend', {}), el => { el.textContent = t('publish.visibility') }),
      ...visibility),
    h('div', { class: 'check' }, finish,
      label(h('label', { for: 'publish-finish' }), el => { el.textContent = t('publish.finish') })),
    label(h('p', { class: 'help', id: 'publish-finish-help' }), el => { el.textContent = t('publish.finishHelp') })
  )
  const closeBtn = label(h('button', { type: 'button', onclick: () => dialog.close() }), el => { el.textContent = t('dialog.close') })
  const dialog = h('dialog', { class: 'dialog publish-dialog', 'aria-labelledby': 'publish-heading' },
    h('form', { onsubmit: send },
      label(h('h2', { id: 'publish-heading' }), el => { el.textContent = t('publish.heading') }),
      status,
      fields,
      error,
      result,
      h('div', { class: 'dialog-actions' }, submit, closeBtn)))
  document.body.append(dialog)

  // draft is null until the server answered; shown says which status and
  // error texts are on screen, to redraw them in another language.
  let draft = null
  let outcome = null
  let busy = false
  let loads = 0
  let shown = { status: '', error: null }

  function renderSubmit () {
    submit.textContent = t(busy ? 'publish.busy' : 'publish.submit')
    submit.disabled = busy || !draft
  }
  function renderMessages () {
    status.textContent = shown.status ? t(shown.status) : ''
    error.textContent = shown.error ? t(shown.error.key, { reason: shown.error.reason }) : ''
  }
  function renderExisting () {
    const note = draft?.note
    existing.hidden = !note
    if (!note) return
    existing.replaceChildren(
      t('publish.existing', { n: note.version }), ' ',
      h('a', { href: note.urls.note, class: 'publish-current' }, note.urls.note), ' ',
      t('publish.nextVersion', { n: note.version + 1 }))
  }
  function renderResult () {
    result.hidden = !outcome
    if (!outcome) return
    result.replaceChildren(
      h('p', {}, t('publish.done', { n: outcome.version }), ' ',
        h('a', { href: outcome.urls.version, class: 'publish-version-link' }, outcome.urls.version)),
      h('p', {}, h('a', { href: outcome.urls.note, class: 'button publish-open', target: '_blank', rel: 'noopener' }, t('publish.open'))))
  }
  function renderAll () {
    texts.forEach(([el, fn]) => fn(el))
    renderSubmit()
    renderMessages()
    renderExisting()
    renderResult()
  }
  onLangChange(renderAll)

  function fill () {
    const form = initialForm(draft)
    title.value = form.title
    authorList.replaceChildren(...draft.authors.map((name, i) => {
      const box = h('input', { id: 'publish-author-' + i, type: 'checkbox', value: name, checked: form.checked.has(name) })
      return h('li', { class: 'check' }, box, h('label', { for: box.id }, name))
    }))
    noAuthors.hidden = draft.authors.length > 0
    radios[form.visibility].checked = true
    const finished = draft.status === 'finished'
    finish.checked = finished
    finish.disabled = finished
  }

  function formState () {
    const checked = new Set()
    authorList.querySelectorAll('input[type=checkbox]').forEach(box => { if (box.checked) checked.add(box.value) })
    return {
      title: title.value,
      checked,
      visibility: radios.public.checked ? 'public' : 'unlisted',
      finish: finish.checked && !finish.disabled
    }
  }

  async function load () {
    const mine = ++loads
    draft = null
    outcome = null
    fields.hidden = true
    shown = { status: 'publish.loading', error: null }
    renderAll()
    const got = await loadDraft(api, { language: lang() })
    const next = got.draft || null
    let failure = null
    if (got.network) failure = { key: 'publish.loadError', reason: t('publish.network') }
    else if (!next) failure = { key: 'publish.loadError', reason: got.reason }
    if (mine !== loads) return // the dialog was opened again meanwhile
    shown = { status: '', error: failure }
    if (next) {
      draft = next
      fill()
      fields.hidden = false
    }
    renderAll()
    if (draft && dialog.open) title.focus()
  }

  async function send (e) {
    e.preventDefault()
    if (busy || !draft) return
    const form = formState()
    const body = publishBody(draft, form)
    busy = true
    outcome = null
    shown = { status: 'publish.busy', error: null }
    renderAll()
    let failure = null
    let done = null
    try {
      const res = await fetch(api, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'Accept-Language': lang() },
        body: JSON.stringify(body)
      })
      const answer = await readBody(res)
      done = res.status === 201 ? readResult(answer) : null
      if (!done) failure = { key: 'publish.error', reason: errorText(answer) || String(res.status) }
    } catch {
      failure = { key: 'publish.error', reason: t('publish.network') }
    }
    busy = false
    shown = { status: '', error: failure }
    if (done) {
      outcome = done
      draft = { ...draft, note: { slug: done.slug, title: body.title || draft.title, version: done.version, visibility: body.visibility, urls: done.urls } }
      if (body.finish) {
        draft.status = 'finished'
        finish.disabled = true
        onFinished()
      }
    }
    renderAll()
    if (done) result.querySelector('.publish-open')?.focus()
    else submit.focus()
  }

  return {
    open () {
      dialog.showModal()
      closeBtn.focus()
      load()
    }
  }
}
