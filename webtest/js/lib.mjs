// Shared by the browser scenarios: launching Debian's Chromium through
// playwright-core, bounded waits, and the JSON result the Go test reads.
import { chromium } from 'playwright-core'

export const chromiumPath = process.env.WEBTEST_CHROMIUM || '/usr/bin/chromium'

// Flags that keep Chromium from reaching anything but the test server.
// Playwright gives each launch a fresh temporary profile (--user-data-dir)
// and removes it on close.
const flags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

export async function launch () {
  return chromium.launch({ executablePath: chromiumPath, headless: true, args: flags, timeout: 20000 })
}

// newPerson opens a browser context of its own (separate storage, as a
// second device would have) with a page, its language and a remembered name.
export async function newPerson (browser, { locale = 'en-GB', name = null, viewport = { width: 1100, height: 760 } } = {}) {
  const context = await browser.newContext({ locale, viewport })
  context.setDefaultTimeout(10000)
  if (name) {
    await context.addInitScript(n => {
      if (!localStorage.getItem('commonpad.name')) localStorage.setItem('commonpad.name', n)
    }, name)
  }
  const page = await context.newPage()
  const errors = []
  page.on('pageerror', e => errors.push(String(e)))
  page.on('console', m => { if (m.type() === 'error') errors.push(m.text()) })
  return { context, page, errors }
}

// editorText returns the editor's text, one line per text block, without
// the names on remote carets.
export async function editorText (page) {
  return page.locator('.pad-text').evaluate(el => {
    const copy = el.cloneNode(true)
    copy.querySelectorAll('.remote-caret').forEach(c => c.remove())
    return [...copy.querySelectorAll('p, h1, h2, h3, h4, h5, h6, pre')].map(b => b.textContent).join('\n')
  })
}

// caretNames lists the names on the remote carets a page shows.
export async function caretNames (page) {
  return (await page.locator('.remote-caret-name').allTextContents()).sort()
}

export async function people (page) {
  return page.locator('.people .person').evaluateAll(els => els.map(e => e.dataset.name))
}

export async function state (page) {
  return page.getAttribute('.status', 'data-state')
}

// createPad makes a pad through the API, as the home page does.
export async function createPad (base, title = '') {
  const res = await fetch(base + '/api/pads', { method: 'POST', body: JSON.stringify({ title }) })
  if (res.status !== 201) throw new Error(`POST /api/pads: ${res.status} ${await res.text()}`)
  return res.json()
}

// typeAtEnd puts the caret at the end of the text and types keys.
export async function typeAtEnd (page, text) {
  await page.locator('.pad-text').focus()
  await page.keyboard.press('Control+End')
  await settle(page)
  await page.keyboard.type(text)
}

// settle lets the page run the tasks a key press queued: ProseMirror reads
// a caret the browser moved (Control+End) from the selectionchange event,
// and keys typed before it would land at the old position.
export async function settle (page) {
  await page.evaluate(() => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0))))
}

// sameText waits until every page shows the same text containing all of
// parts, and returns that text.
export async function sameText (pages, parts, timeout = 10000) {
  const end = Date.now() + timeout
  let texts = []
  while (Date.now() < end) {
    texts = await Promise.all(pages.map(editorText))
    if (texts.every(t => t === texts[0]) && parts.every(p => texts[0].includes(p))) return texts[0]
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  throw new Error('texts did not converge: ' + JSON.stringify(texts))
}

// until polls fn (a page function) until it returns a truthy value.
export async function until (page, fn, arg, timeout = 10000) {
  await page.waitForFunction(fn, arg, { timeout, polling: 50 })
}

// run executes scenario(args) with a hard deadline and prints its result
// as the last line of stdout; failures are printed the same way.
export async function run (scenario) {
  const args = JSON.parse(process.argv[2] || '{}')
  const deadline = setTimeout(() => {
    console.log(JSON.stringify({ ok: false, error: 'scenario deadline passed' }))
    process.exit(2)
  }, args.deadlineMs || 60000)
  let browser
  try {
    browser = await launch()
    const result = await scenario(browser, args)
    console.log(JSON.stringify({ ok: true, ...result }))
  } catch (e) {
    console.log(JSON.stringify({ ok: false, error: String(e && e.stack ? e.stack : e) }))
    process.exitCode = 1
  } finally {
    clearTimeout(deadline)
    if (browser) await browser.close().catch(() => {})
  }
}
