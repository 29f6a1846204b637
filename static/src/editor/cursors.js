// Remote carets and selections. Colours are applied through the CSSOM
// (element.style), which a strict Content-Security-Policy allows, and
// names are text nodes. Awareness states come from any client, so colours
// that are not #rrggbb fall back to a neutral one.
import { textOn } from './contrast.js'

const validColor = /^#[0-9a-fA-F]{6}$/
const fallback = '#5f6368'

export function colorOf (user) {
  return user && validColor.test(user.color) ? user.color : fallback
}

export function nameOf (user, clientId) {
  const n = user && typeof user.name === 'string' ? user.name.trim() : ''
  return n ? n.slice(0, 60) : '#' + clientId
}

export function cursorBuilder (user, clientId) {
  const color = colorOf(user)
  const caret = document.createElement('span')
  caret.className = 'remote-caret'
  caret.style.borderColor = color
  caret.dataset.client = String(clientId)
  const label = document.createElement('span')
  label.className = 'remote-caret-name'
  label.style.backgroundColor = color
  // Our palette takes white text; a light colour from another client must
  // not leave the name unreadable.
  label.style.color = textOn(color)
  label.textContent = nameOf(user, clientId)
  // Word joiners keep the caret from breaking the line around it.
  caret.append('\u2060', label, '\u2060')
  return caret
}

export function selectionBuilder (user) {
  return { class: 'remote-selection', style: `background-color: ${colorOf(user)}33` }
}
