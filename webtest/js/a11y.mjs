// axe-core over every kind of page commonpad serves, in English and in
// French: home, the pad (with a heading, a list and a link in the text,
// then with each dialog open), the read-only and embed views, the post-it
// page on a phone, a published note, an earlier version of it and /notes.
// It also tabs through the pad and narrows pages to 320 px. The script
// only collects what it sees; the Go test judges it.
//
//   node webtest/js/a11y.mjs '{"base":"http://127.0.0.1:PORT"}'
import { fileURLToPath } from 'node:url'
import { run, createPad, typeAtEnd, settle } from './lib.mjs'

const axePath = fileURLToPath(new URL('../../node_modules/axe-core/axe.min.js', import.meta.url))

// The WCAG 2.0 and 2.1 success criteria of levels A and AA, and axe's
// best practices, which cover landmarks and the order of headings.
const tags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']

// open makes a browser context for one language. The pages' CSP forbids
// inline scripts, which is how Playwright injects axe; bypassing it
// changes nothing else on the page.
async function open (browser, { locale, viewport = { width: 1100, height: 760 }, name = null }) {
  const context = await browser.newContext({ locale, viewport, bypassCSP: true })
  context.setDefaultTimeout(10000)
  if (name) await context.addInitScript(n => localStorage.setItem('commonpad.name', n), name)
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', e => errors.push(String(e)))
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text() + ' at ' + (m.location().url || page.url())) })
  return { context, page, errors }
}

// check runs axe on the page as it is now and keeps what it found under
// label, with the language the page declares and the names of the open
// dialogs (axe names only role="dialog" elements, not <dialog>).
async function check (page, label, found) {
  if (!await page.evaluate(() => typeof window.axe === 'object')) await page.addScriptTag({ path: axePath })
  const report = await page.evaluate(async tags => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
    const brief = v => ({
      id: v.id,
      impact: v.impact || '',
      help: v.help,
      helpUrl: v.helpUrl,
      targets: v.nodes.map(n => n.target.join(' ')),
      summary: v.nodes[0]?.failureSummary || ''
    })
    const nameOf = d => d.getAttribute('aria-label') ||
      (d.getAttribute('aria-labelledby') || '').split(/\s+/).map(id => document.getElementById(id)?.textContent || '').join(' ').trim()
    return {
      violations: r.violations.map(brief),
      incomplete: r.incomplete.map(brief),
      dialogs: [...document.querySelectorAll('dialog[open], [role="dialog"], [role="alertdialog"]')]
        .filter(d => d.checkVisibility())
        .map(d => ({ class: d.className, name: nameOf(d) }))
    }
  }, tags)
  found.push({ page: label, lang: await page.getAttribute('html', 'lang') || '', ...report })
}

// focusRing tabs through the page from the top and tells, for each stop,
// whether the focus can be seen: an outline of 2px or more on the element,
// or for the editor the ring its frame draws.
async function focusRing (page, stops) {
  await page.evaluate(() => { document.activeElement?.blur(); window.scrollTo(0, 0) })
  const seen = []
  for (let i = 0; i < stops; i++) {
    await page.keyboard.press('Tab')
    const stop = await page.evaluate(() => {
      const el = document.activeElement
      // Tab from the blurred editor leaves the page before it starts over.
      if (!el || el === document.body) return null
      const name = el.classList.contains('pad-text') ? 'editor' : el.id || el.dataset.cmd || el.className || el.tagName.toLowerCase()
      const ring = e => {
        const st = getComputedStyle(e)
        return (st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2) || st.boxShadow !== 'none'
      }
      const frame = el.closest('.editor')
      return { name, visible: ring(el) || (frame != null && ring(frame)) }
    })
    if (stop) seen.push(stop)
  }
  return seen
}

// reflow narrows the window to 320 CSS pixels (a 1280 px screen zoomed to
// 400 %, WCAG 1.4.10) and keeps how wide the page then is.
async function reflow (page, label, widths) {
  const size = page.viewportSize()
  await page.setViewportSize({ width: 320, height: 640 })
  widths[label] = await page.evaluate(() => new Promise(resolve =>
    requestAnimationFrame(() => resolve(document.documentElement.scrollWidth))))
  await page.setViewportSize(size)
}

async function padReady (page) {
  await page.waitForSelector('.status[data-state="connected"], .status[data-state="saved"], .status[data-state="readOnly"]')
  await page.waitForSelector('.pad-text')
}

// fillPad writes a heading, a list and a paragraph with a link, the way a
// person does: Markdown shortcuts and the link dialog, checked open.
async function fillPad (page, found) {
  await typeAtEnd(page, '# Ordre du jour\n- Accueil\nBudget\n\nVoir le ')
  await page.keyboard.press('Control+k')
  await page.waitForSelector('dialog.link-dialog[open]')
  await page.fill('#link-input', 'example.org/compte-rendu')
  await check(page, 'pad, link dialog (en)', found)
  await page.keyboard.press('Enter')
  await page.waitForSelector('.pad-text a')
  await settle(page)
  await page.waitForSelector('.status[data-state="saved"]')
}

// padAndDialogs checks a pad page, then with each dialog open.
async function padAndDialogs (page, lang, found) {
  await check(page, `pad (${lang})`, found)
  await page.click('.share-button')
  await page.waitForSelector('dialog.share-dialog[open] .qr')
  await check(page, `pad, Share dialog (${lang})`, found)
  await page.keyboard.press('Escape')
  await page.click('.publish-button')
  await page.waitForSelector('#publish-title', { state: 'visible' })
  await check(page, `pad, Publish dialog (${lang})`, found)
  await page.keyboard.press('Escape')
}

run(async (browser, { base }) => {
  const found = []
  const widths = {}
  const pad = await createPad(base, 'Réunion du 12 mars')
  const en = await open(browser, { locale: 'en-GB', name: 'Alice' })
  const fr = await open(browser, { locale: 'fr-FR' }) // no name yet: the pad asks for one

  await fr.page.goto(base + '/')
  await fr.page.waitForSelector('#pad-title')
  await check(fr.page, 'home (fr)', found)

  await en.page.goto(`${base}/p/${pad.id}`)
  await padReady(en.page)
  await fillPad(en.page, found)
  const focus = await focusRing(en.page, 9)
  await reflow(en.page, 'pad', widths)
  await padAndDialogs(en.page, 'en', found)

  // Zoé arrives while Alice's caret is in the text: the caret's name is
  // checked too.
  await fr.page.goto(`${base}/p/${pad.id}`)
  await fr.page.waitForSelector('dialog.name-dialog[open]')
  await check(fr.page, 'pad, name dialog (fr)', found)
  await fr.page.keyboard.type('Zoé')
  await fr.page.keyboard.press('Enter')
  await padReady(fr.page)
  await en.page.locator('.pad-text').focus()
  await fr.page.waitForSelector('.remote-caret-name')
  await fr.page.waitForSelector('.pad-text a')
  await padAndDialogs(fr.page, 'fr', found)

  // Home once a pad is in the recent list.
  await en.page.goto(base + '/')
  await en.page.waitForSelector('.recent a')
  await check(en.page, 'home (en)', found)
  await reflow(en.page, 'home', widths)

  await en.page.goto(`${base}/r/${pad.readOnlyId}`)
  await padReady(en.page)
  await en.page.waitForSelector('.pad-text a')
  await check(en.page, 'read-only view (en)', found)

  await en.page.goto(`${base}/p/${pad.id}/embed`)
  await padReady(en.page)
  await en.page.waitForSelector('.pad-text a')
  await check(en.page, 'embed view (en)', found)
  // A new pad has no text yet, so no heading of its own.
  const empty = await createPad(base, 'Atelier')
  await en.page.goto(`${base}/p/${empty.id}/embed`)
  await padReady(en.page)
  await check(en.page, 'embed view, empty pad (en)', found)

  const phone = await open(browser, { locale: 'fr-FR', viewport: { width: 390, height: 844 } })
  await phone.page.goto(`${base}/p/${pad.id}/postit`)
  await phone.page.waitForSelector('#postit-text:focus')
  await check(phone.page, 'post-it, phone (fr)', found)
  await phone.page.keyboard.type('Café')
  await phone.page.fill('#postit-name', 'Zoé')
  await phone.page.click('.postit-send')
  await phone.page.waitForSelector('#postit-message.ok')
  await check(phone.page, 'post-it sent, phone (fr)', found)

  // Published twice: the first version carries the "earlier version" notice.
  let slug
  for (const title of ['Compte rendu', 'Compte rendu (corrigé)']) {
    const res = await fetch(`${base}/api/pads/${pad.id}/publish`, {
      method: 'POST',
      body: JSON.stringify({ title, visibility: 'public', authors: ['Alice'] })
    })
    if (res.status !== 200 && res.status !== 201) throw new Error(`publish: ${res.status} ${await res.text()}`)
    slug = (await res.json()).slug
  }
  for (const [p, lang] of [[en, 'en'], [fr, 'fr']]) {
    await p.page.goto(`${base}/n/${slug}`)
    await check(p.page, `note /n/{slug} (${lang})`, found)
    await p.page.goto(`${base}/notes`)
    await check(p.page, `/notes (${lang})`, found)
  }
  await en.page.goto(`${base}/n/${slug}/v/1`)
  await en.page.waitForSelector('.notice')
  await check(en.page, 'note, earlier version (en)', found)
  await reflow(en.page, 'note', widths)

  return { pages: found, focus, widths, errors: [...en.errors, ...fr.errors, ...phone.errors] }
})
