// The pads this device opened, newest first, kept in localStorage only:
// the server keeps no list of who opened what.
import { loadJSON, saveJSON } from './storage.js'

const key = 'commonpad.recent'
export const maxRecent = 30

export function recentPads () {
  const list = loadJSON(key, [])
  if (!Array.isArray(list)) return []
  return list.filter(p => p && typeof p.id === 'string' && typeof p.at === 'number')
}

// remember records that the pad id (edit or read-only) was opened now; a
// title, when known, replaces the one remembered.
export function remember ({ id, readOnly = false, title = '' }, now = Date.now()) {
  const list = recentPads()
  const old = list.find(p => p.id === id)
  const entry = { id, readOnly, title: title || (old && old.title) || '', at: now }
  saveJSON(key, [entry, ...list.filter(p => p.id !== id)].slice(0, maxRecent))
}

export function forget (id) {
  saveJSON(key, recentPads().filter(p => p.id !== id))
}
