// The local person: a display name chosen once and a colour, both
// remembered on this device and published through awareness as
// state.user = {name, color}, the field y-prosemirror's cursors read.
import { load, save } from './storage.js'

const nameKey = 'commonpad.name'
const colorKey = 'commonpad.color'

// Six-digit colours only: y-prosemirror rejects other notations. Each is
// dark enough for white text on the name label, and far enough from the
// others to tell two carets apart.
export const palette = ['#c62828', '#1565c0', '#2e7d32', '#6a1b9a', '#ad1457', '#b45309', '#00695c', '#5d4037', '#283593', '#37474f']

export function storedName () {
  const n = load(nameKey)
  return n && n.trim() ? n.trim().slice(0, 60) : null
}

export function setStoredName (name) {
  const n = String(name || '').trim().slice(0, 60)
  if (n) save(nameKey, n)
  return n
}

export function userColor () {
  const c = load(colorKey)
  if (c && palette.includes(c)) return c
  const picked = palette[Math.floor(Math.random() * palette.length)]
  save(colorKey, picked)
  return picked
}

// freeColor returns a palette colour nobody in taken uses, preferring
// current, or null when every colour is taken.
export function freeColor (current, taken) {
  if (!taken.has(current)) return current
  const free = palette.filter(c => !taken.has(c))
  if (free.length === 0) return null
  const picked = free[Math.floor(Math.random() * free.length)]
  save(colorKey, picked)
  return picked
}
