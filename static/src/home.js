// The home page: create a pad, and the pads this device opened recently.
import { h } from './dom.js'
import { t, onLangChange, formatWhen } from './i18n.js'
import { langSwitch } from './langswitch.js'
import { recentPads, forget } from './recent.js'

export function startHome ({ root }) {
  const texts = []
  const label = (el, fn) => {
    texts.push(() => fn(el))
    fn(el)
    return el
  }
  const titleInput = h('input', { id: 'pad-title', name: 'title', type: 'text', maxlength: '200', autocomplete: 'off' })
  label(titleInput, el => { el.placeholder = t('home.create.titlePlaceholder') })
  const submit = h('button', { type: 'submit', class: 'primary' })
  label(submit, el => { el.textContent = t('home.create.submit') })
  const error = h('p', { class: 'error', role: 'alert' })
  const form = h('form', { class: 'create', onsubmit: create },
    label(h('label', { for: 'pad-title' }), el => { el.textContent = t('home.create.titleLabel') }),
    h('div', { class: 'create-row' }, titleInput, submit),
    error)
  const recentList = h('ul', { class: 'recent-list' })
  const recentEmpty = h('p', { class: 'help' })

  root.replaceChildren(
    h('header', { class: 'topbar home-bar' }, h('span', { class: 'brand' }, 'commonpad'), h('div', { class: 'actions' }, langSwitch())),
    h('main', { id: 'main', class: 'home' },
      label(h('h1', {}), el => { el.textContent = t('home.title') }),
      label(h('p', { class: 'lead' }), el => { el.textContent = t('home.lead') }),
      h('section', { class: 'card', 'aria-labelledby': 'create-heading' },
        label(h('h2', { id: 'create-heading' }), el => { el.textContent = t('home.create.heading') }),
        form),
      h('section', { class: 'card', 'aria-labelledby': 'recent-heading' },
        label(h('h2', { id: 'recent-heading' }), el => { el.textContent = t('home.recent.heading') }),
        recentList, recentEmpty))
  )
  document.title = 'commonpad'

  function renderRecent () {
    const pads = recentPads()
    recentEmpty.hidden = pads.length > 0
    recentEmpty.textContent = t('home.recent.empty')
    recentList.replaceChildren(...pads.map(p => {
      const title = p.title || t('pad.untitled')
      const href = p.readOnly ? `/r/${encodeURIComponent(p.id)}` : `/p/${encodeURIComponent(p.id)}`
      const forgetBtn = h('button', {
        type: 'button',
        class: 'forget',
        'aria-label': t('home.recent.forget', { title }),
        title: t('home.recent.forget', { title }),
        onclick: () => {
          forget(p.id)
          renderRecent()
          titleInput.focus()
        }
      }, h('span', { 'aria-hidden': 'true' }, '×'))
      return h('li', { class: 'recent' },
        h('a', { href }, title),
        h('span', { class: 'recent-meta' },
          t('home.recent.opened', { when: formatWhen(new Date(p.at)) }),
          p.readOnly ? ` · ${t('home.recent.readOnly')}` : ''),
        forgetBtn)
    }))
  }
  renderRecent()
  onLangChange(() => {
    texts.forEach(fn => fn())
    renderRecent()
  })

  async function create (e) {
    e.preventDefault()
    error.textContent = ''
    submit.disabled = true
    submit.textContent = t('home.create.busy')
    try {
      const res = await fetch('/api/pads', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ title: titleInput.value.trim() })
      })
      if (!res.ok) throw new Error((await res.text()).trim() || res.statusText)
      const pad = await res.json()
      if (typeof pad.id !== 'string') throw new Error('no id')
      window.location.assign(`/p/${encodeURIComponent(pad.id)}`)
    } catch (err) {
      error.textContent = t('home.create.error', { reason: err.message || String(err) })
      submit.disabled = false
      submit.textContent = t('home.create.submit')
    }
  }
}
