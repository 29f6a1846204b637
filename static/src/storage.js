// localStorage can throw (storage disabled, private windows, quota), and a
// pad must still open then: every access goes through these guards.

export function load (key) {
  try {
    return globalThis.localStorage ? globalThis.localStorage.getItem(key) : null
  } catch {
    return null
  }
}

export function save (key, value) {
  try {
    globalThis.localStorage?.setItem(key, value)
  } catch {
    // Remembering is a convenience; losing it is not an error.
  }
}

export function loadJSON (key, fallback) {
  const raw = load(key)
  if (raw == null) return fallback
  try {
    return JSON.parse(raw)
  } catch {
    return fallback
  }
}

export function saveJSON (key, value) {
  save(key, JSON.stringify(value))
}
