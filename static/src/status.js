// The connection state badge. Its text changes often while someone types,
// so only the changes that matter (going offline, coming back, read-only)
// are announced to screen readers.
import { h } from './dom.js'
import { t, onLangChange } from './i18n.js'

const announced = new Set(['offline', 'readOnly'])

export function statusBadge () {
  const text = h('span', { class: 'status-text' })
  const el = h('p', { class: 'status', dataset: { state: 'connecting' } }, h('span', { class: 'status-dot', 'aria-hidden': 'true' }), text)
  const live = h('p', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' })
  let state = 'connecting'
  let wasOffline = false
  const render = () => {
    el.dataset.state = state
    text.textContent = t('status.' + state)
    el.title = t('status.label')
  }
  onLangChange(render)
  render()
  return {
    el: h('div', { class: 'status-wrap' }, el, live),
    set (next) {
      if (next === state) return
      state = next
      render()
      if (announced.has(next) || (wasOffline && next !== 'connecting')) live.textContent = t('status.' + next)
      if (next === 'offline') wasOffline = true
      else if (next !== 'connecting') wasOffline = false
    },
    get: () => state
  }
}
