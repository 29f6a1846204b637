// The list of people present: everyone whose awareness state names a user,
// this person first.
import { h } from './dom.js'
import { t, onLangChange } from './i18n.js'
import { colorOf, nameOf } from './editor/cursors.js'

export function peopleList (awareness) {
  const list = h('ul', { class: 'people' })
  const render = () => {
    const self = awareness.clientID
    const people = []
    awareness.getStates().forEach((state, id) => {
      if (state && state.user) people.push({ id, user: state.user, me: id === self })
    })
    people.sort((a, b) => (b.me - a.me) || nameOf(a.user, a.id).localeCompare(nameOf(b.user, b.id)))
    list.setAttribute('aria-label', `${t('people.label')}: ${t('people.count', { n: people.length })}`)
    list.replaceChildren(...people.map(p => {
      const name = nameOf(p.user, p.id)
      const dot = h('span', { class: 'person-dot', 'aria-hidden': 'true' })
      dot.style.backgroundColor = colorOf(p.user)
      return h('li', { class: 'person' + (p.me ? ' me' : ''), dataset: { name } },
        dot, h('span', { class: 'person-name' }, p.me ? t('people.you', { name }) : name))
    }))
  }
  awareness.on('change', render)
  onLangChange(render)
  render()
  return list
}
