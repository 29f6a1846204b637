// Links come from every participant, so only schemes that cannot run code
// are ever written into the document or rendered as href.
const allowed = new Set(['http:', 'https:', 'mailto:'])

// safeHref returns href when its scheme is http, https or mailto, and null
// otherwise (javascript:, data:, relative or unparsable addresses).
export function safeHref (href) {
  if (typeof href !== 'string') return null
  const s = href.trim()
  if (s === '') return null
  let u
  try {
    u = new URL(s)
  } catch {
    return null
  }
  return allowed.has(u.protocol) ? s : null
}

// normalizeHref turns what a person typed into a link address: a bare
// "example.org/x" becomes "https://example.org/x", an e-mail address gets
// "mailto:". It returns null when the result is not allowed.
export function normalizeHref (input) {
  const s = String(input || '').trim()
  if (s === '') return null
  if (/^[a-z][a-z0-9+.-]*:/i.test(s)) return safeHref(s)
  if (/^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(s)) return safeHref('mailto:' + s)
  return safeHref('https://' + s)
}
