// The visible language switch, a native select so it works with every
// keyboard and screen reader; each option is written in its own language.
import { h } from './dom.js'
import { t, lang, setLang, languages, onLangChange } from './i18n.js'

export function langSwitch () {
  const select = h('select', { id: 'lang-switch', class: 'lang-switch', onchange: e => setLang(e.target.value) },
    languages.map(l => h('option', { value: l.code, lang: l.code }, l.name)))
  const label = h('label', { for: 'lang-switch', class: 'visually-hidden' })
  const render = () => {
    select.value = lang()
    label.textContent = t('lang.label')
    document.documentElement.lang = lang()
  }
  onLangChange(render)
  render()
  return h('div', { class: 'lang' }, label, select)
}
