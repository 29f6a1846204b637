// The pad page and its two variants: the read-only view (/r/{id}) and the
// embed view (/p/{id}/embed, no home chrome).
import { h } from './dom.js'
import { t, onLangChange } from './i18n.js'
import { openPad } from './sync.js'
import { createEditor } from './editor/index.js'
import { createToolbar } from './editor/toolbar.js'
import { peopleList } from './presence.js'
import { statusBadge } from './status.js'
import { langSwitch } from './langswitch.js'
import { nameDialog, linkDialog } from './dialogs.js'
import { sharePanel } from './share.js'
import { publishDialog } from './publish.js'
import { unsavedNotice } from './unsavednotice.js'
import { hasMissingEdits, plainText } from './unsaved.js'
import { remember } from './recent.js'
import { storedName, setStoredName, userColor, freeColor } from './user.js'

const titleRefresh = 500

export function startPad ({ root, view, id, base }) {
  let readOnly = view === 'readonly'
  const embed = view === 'embed'
  let apiTitle = ''
  let docTitle = ''
  let pad = { id: readOnly ? '' : id, readOnlyId: readOnly ? id : '' }

  const status = statusBadge()
  const session = openPad({
    id,
    readOnly,
    onStatus: s => { if (!readOnly) status.set(s) },
    onDenied: denied
  })
  const { awareness, fragment } = session
  const links = linkDialog()
  const toolbar = readOnly ? null : createToolbar({ t, onLangChange, openLinkDialog: v => links.open(v) })
  const titleEl = h('h1', { class: 'pad-title' })
  const notice = h('p', { class: 'notice', role: 'status', hidden: true })
  const mount = h('div', { id: 'editor', class: 'editor' })
  const unsaved = unsavedNotice({ text: () => plainText(editor.view.state.doc) })
  const body = h('div', { class: 'pad-main' }, notice, unsaved.el, mount)
  // The toolbar belongs to the main landmark, so a screen reader moving by
  // landmarks does not skip it; it stays as wide as the page above the text.
  const main = h('main', { id: 'main' }, toolbar ? toolbar.el : '', body)

  let nameBtn = null
  let share = null
  let publishBtn = null
  const actions = []
  if (!readOnly && !embed) {
    share = sharePanel({ base })
    const shareBtn = h('button', { type: 'button', class: 'share-button', onclick: () => share.open(pad, currentTitle()) })
    live(shareBtn, el => { el.textContent = t('share.button') })
    const publish = publishDialog({ id, onFinished: setFinished })
    publishBtn = h('button', { type: 'button', class: 'publish-button', 'aria-haspopup': 'dialog', onclick: () => publish.open() })
    live(publishBtn, el => { el.textContent = t('publish.button') })
    actions.push(shareBtn, publishBtn)
  }
  if (!readOnly) {
    nameBtn = h('button', { type: 'button', class: 'name-button', onclick: () => names.open(storedName()) })
    actions.push(nameBtn)
  }
  actions.push(langSwitch())

  const skip = h('a', { class: 'skip-link', href: '#editor' })
  live(skip, el => { el.textContent = t('skip.editor') })
  skip.addEventListener('click', e => {
    e.preventDefault()
    editor.view.focus()
  })
  const people = peopleList(awareness)
  let header
  if (embed) {
    const full = h('a', { class: 'open-full', href: `${base}/p/${id}`, target: '_blank', rel: 'noopener' })
    live(full, el => { el.textContent = t('pad.openFull') })
    // The host page shows its own title; the embedded one still has a
    // heading for screen readers to start from.
    titleEl.classList.add('visually-hidden')
    header = h('header', { class: 'topbar embedbar' }, titleEl, status.el, people, full, ...actions)
  } else {
    const brand = h('a', { class: 'brand', href: '/' }, 'commonpad')
    live(brand, el => el.setAttribute('aria-label', t('pad.home')))
    header = h('header', { class: 'topbar' }, brand, titleEl, status.el, people, h('div', { class: 'actions' }, ...actions))
  }
  root.replaceChildren(skip, header, main)
  document.body.classList.add('view-' + view)

  const editor = createEditor({
    mount,
    fragment,
    awareness,
    editable: !readOnly,
    label: () => t('pad.editorLabel'),
    openLinkDialog: v => links.open(v),
    onChange: v => toolbar && toolbar.update(v)
  })
  toolbar?.update(editor.view)
  onLangChange(() => {
    editor.refresh()
    renderTitle()
    renderNotice()
  })

  const names = nameDialog({
    onSave (name) {
      const chosen = name || storedName() || t('name.guest', { n: Math.floor(100 + Math.random() * 900) })
      announce(setStoredName(chosen))
    }
  })
  // The button shows the name alone to keep the header on one line; its
  // accessible name says what it is.
  function labelNameButton () {
    const name = storedName()
    if (!nameBtn || !name) return
    nameBtn.replaceChildren(h('span', { 'aria-hidden': 'true', class: 'name-icon' }, '✎'), name)
    nameBtn.setAttribute('aria-label', t('name.button', { name }))
    nameBtn.title = t('name.button', { name })
  }
  function announce (name) {
    awareness.setLocalStateField('user', { name, color: userColor() })
    labelNameButton()
  }
  // Two people with the same caret colour cannot be told apart: of two
  // clients that share one, the one with the larger id moves to a free one.
  awareness.on('change', () => {
    const mine = awareness.getLocalState()?.user
    if (!mine) return
    const taken = new Set()
    let clash = false
    awareness.getStates().forEach((state, client) => {
      const color = state?.user?.color
      if (client === awareness.clientID || !color) return
      taken.add(color)
      if (color === mine.color && client < awareness.clientID) clash = true
    })
    if (!clash) return
    const color = freeColor(mine.color, taken)
    if (color && color !== mine.color) awareness.setLocalStateField('user', { ...mine, color })
  })
  if (!readOnly) {
    const name = storedName()
    if (name) announce(name)
    else names.open('')
    onLangChange(labelNameButton)
  }

  function live (el, render) {
    render(el)
    onLangChange(() => render(el))
  }

  let noticeKey = ''
  function renderNotice () {
    notice.hidden = !noticeKey
    notice.textContent = noticeKey ? t(noticeKey) : ''
  }
  function setReadOnly (key = 'pad.readOnlyNotice') {
    readOnly = true
    editor.setEditable(false)
    toolbar?.el.remove()
    awareness.setLocalState(null)
    status.set('readOnly')
    noticeKey = key
    renderNotice()
  }
  // A finished pad keeps its edit link, and can still be published again.
  function setFinished () {
    if (readOnly) return
    setReadOnly('pad.finishedNotice')
    warnUnsaved()
  }
  // Edits made offline, or in flight when the pad was finished, are
  // refused: say so while they can still be copied from this device.
  async function warnUnsaved () {
    const server = await session.serverCopy()
    // Edits kept in this browser from an earlier visit count too.
    await session.persistence?.whenSynced
    unsaved.checked(hasMissingEdits(session.localCopy(), server))
  }
  // One question at a time, however often the server refuses a write.
  let checking = null
  function checkFinished () {
    checking ??= padMeta().then(meta => {
      checking = null
      if (meta?.status === 'finished' && meta.id === id) setFinished()
      return meta
    })
    return checking
  }
  // denied handles the server refusing our writes (a read-only id opened as
  // /p/{id}, or a finished pad), the pad, or the connection (see
  // server/doc.go, close codes).
  async function denied ({ code, reason }) {
    // Sent to every editor when someone finishes the pad, on any instance.
    if (reason === 'pad finished') {
      setFinished()
      return
    }
    if (reason === 'read-only connection') {
      if (readOnly) return
      const meta = await checkFinished()
      if (readOnly) return
      if (meta?.id === id) {
        setReadOnly()
        return
      }
      pad = { id: '', readOnlyId: id }
      setReadOnly()
      publishBtn?.remove()
      if (!embed) history.replaceState(null, '', `/r/${id}`)
      remember({ id, readOnly: true, title: currentTitle() })
      return
    }
    if (code === undefined && reason !== 'no such pad') return
    noticeKey = code === 4413 ? 'pad.tooLarge' : (code === 4404 || reason === 'no such pad') ? 'pad.notFound' : 'pad.closed'
    renderNotice()
  }
  if (readOnly) setReadOnly()

  function currentTitle () {
    return apiTitle || docTitle || ''
  }
  function renderTitle () {
    const title = currentTitle()
    titleEl.textContent = title || t('pad.untitled')
    document.title = `${title || t('pad.untitled')} · commonpad`
  }
  // Without a title from the API, the first line of text names the pad.
  let titleTimer = 0
  fragment.observeDeep(() => {
    if (titleTimer) return
    titleTimer = setTimeout(() => {
      titleTimer = 0
      const first = firstLine(editor.view.state.doc)
      if (first !== docTitle) {
        docTitle = first
        renderTitle()
        remember({ id, readOnly, title: currentTitle() })
      }
    }, titleRefresh)
  })
  renderTitle()
  remember({ id, readOnly })

  if (!readOnly) fetchPad()
  // padMeta is the pad as GET /api/pads/{id} describes it, or null.
  async function padMeta () {
    try {
      const res = await fetch(`/api/pads/${encodeURIComponent(id)}`, { headers: { Accept: 'application/json' } })
      if (!res.ok) return null
      const meta = await res.json()
      return meta && typeof meta === 'object' ? meta : null
    } catch {
      // Offline: the pad still opens from this device's copy.
      return null
    }
  }
  async function fetchPad () {
    const meta = await padMeta()
    if (!meta) return
    apiTitle = typeof meta.title === 'string' ? meta.title.trim() : ''
    if (typeof meta.readOnlyId === 'string') pad = { id, readOnlyId: meta.readOnlyId }
    renderTitle()
    share?.update(pad, currentTitle())
    remember({ id, readOnly: false, title: currentTitle() })
    if (meta.status === 'finished' && meta.id === id) setFinished()
  }
  // A pad created by opening its link exists on the server once the socket
  // joined it: ask again then for its read-only id.
  session.provider.once('sync', () => { if (!pad.readOnlyId && !readOnly) fetchPad() })

  return { session, editor }
}

function firstLine (doc) {
  let text = ''
  doc.descendants(node => {
    if (text) return false
    if (node.isTextblock) {
      text = node.textContent.trim()
      return false
    }
    return true
  })
  return text.slice(0, 120)
}
