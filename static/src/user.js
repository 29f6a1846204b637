// The local person: a display name chosen once and a colour, both
// remembered on this device and published through awareness as
// state.user = {name, color}, the field y-prosemirror's cursors read.
import { load, save } from './storage.js'

const nameKey = 'commonpad.name'
const colorKey = 'commonpad.color'

// Six-digit colours only: y-prosemirror rejects other notations. Each is
// dark enough for white text on the name label.
export const palette = ['#c0392b', '#8e44ad', '#2c6fbb', '#16856b', '#b35900', '#a8326e', '#4a5fc1', '#2f7d32', '#7b5a2b', '#00788a']

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
