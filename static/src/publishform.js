// What the Publish dialog reads from and sends to the server, kept apart
// from the DOM so that it can be tested under Node. The server's answers
// are checked field by field: the dialog shows them as text and links.

export const visibilities = ['unlisted', 'public']
export const maxTitle = 200 // the server refuses longer titles

// readDraft turns the body of GET /api/pads/{id}/publish into
// {title, authors, status, note}, dropping whatever has the wrong shape.
// The title is the one publishing without a title would use: the note's
// latest, which someone may have edited since, or else the pad's first
// heading.
export function readDraft (body) {
  const b = isObject(body) ? body : {}
  const authors = []
  if (Array.isArray(b.authors)) {
    for (const a of b.authors) {
      const name = typeof a === 'string' ? a.trim() : ''
      if (name && !authors.includes(name)) authors.push(name)
    }
  }
  return {
    title: typeof b.title === 'string' ? b.title.trim() : '',
    authors,
    status: b.status === 'finished' ? 'finished' : 'open',
    note: readNote(b.note)
  }
}

// loadDraft asks the server for the draft of pad api
// (/api/pads/{id}/publish), in one request: the draft already carries the
// title to propose. It resolves with {draft}, {reason} (the server's
// refusal) or {network: true}, never rejects.
export async function loadDraft (api, { get = (...a) => fetch(...a), language = 'en' } = {}) {
  let res, body
  try {
    res = await get(api, { headers: { Accept: 'application/json', 'Accept-Language': language } })
    body = await readBody(res)
  } catch {
    return { network: true }
  }
  if (!res.ok) return { reason: errorText(body) || String(res.status) }
  return { draft: readDraft(body) }
}

// readBody is the JSON of an answer, or its text when it is not JSON.
export async function readBody (res) {
  const text = await res.text()
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function readNote (n) {
  if (!isObject(n) || typeof n.slug !== 'string' || !n.slug) return null
  return {
    slug: n.slug,
    title: typeof n.title === 'string' ? n.title.trim() : '',
    version: positive(n.version),
    visibility: visibilities.includes(n.visibility) ? n.visibility : 'unlisted',
    urls: readURLs(n.urls, n.slug)
  }
}

// readResult reads the 201 answer of POST /api/pads/{id}/publish; null
// when it is not one.
export function readResult (body) {
  if (!isObject(body) || typeof body.slug !== 'string' || !body.slug) return null
  return { slug: body.slug, version: positive(body.version), urls: readURLs(body.urls, body.slug) }
}

function readURLs (u, slug) {
  const urls = isObject(u) ? u : {}
  const fallback = '/n/' + encodeURIComponent(slug)
  return {
    note: safeURL(urls.note) || fallback,
    version: safeURL(urls.version) || safeURL(urls.note) || fallback,
    markdown: safeURL(urls.markdown),
    text: safeURL(urls.text)
  }
}

// safeURL keeps http(s) and same-site addresses only: they become the
// href of links, where a javascript: address would run.
export function safeURL (u) {
  if (typeof u !== 'string' || !u) return ''
  if (u.startsWith('/') && !u.startsWith('//')) return u
  return /^https?:\/\/[^\s]+$/i.test(u) ? u : ''
}

// initialForm is the dialog's state for a fresh draft: its title, every
// author kept, the visibility the note already has (unlisted for a first
// publication, so that nothing is listed unless someone chose it).
export function initialForm (draft) {
  return {
    title: draft.title,
    checked: new Set(draft.authors),
    visibility: draft.note ? draft.note.visibility : 'unlisted',
    finish: false
  }
}

// publishBody is the JSON for POST /api/pads/{id}/publish. Authors keep
// the draft's order (first contribution first) and are always sent, so
// that unchecking every name publishes without any. An empty title is
// left out: the server then keeps the note's, or picks the pad's heading.
export function publishBody (draft, form) {
  const body = {
    visibility: visibilities.includes(form.visibility) ? form.visibility : initialForm(draft).visibility,
    finish: form.finish === true,
    authors: draft.authors.filter(a => form.checked.has(a))
  }
  const title = String(form.title ?? '').replace(/\s+/g, ' ').trim()
  if (title) body.title = [...title].slice(0, maxTitle).join('')
  return body
}

// errorText is the server's own message for a failed request
// ({"error": "..."} or a plain-text body), or '' when it sent none.
export function errorText (body) {
  let msg = ''
  if (isObject(body) && typeof body.error === 'string') msg = body.error
  else if (typeof body === 'string' && !/^\s*</.test(body)) msg = body
  return msg.trim().slice(0, 300)
}

function positive (n) {
  return Number.isInteger(n) && n > 0 ? n : 1
}

function isObject (v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v)
}
