// From the home page to a shared pad with the keyboard alone: create a pad
// with a title, choose a display name, format text, open the share panel;
// then the pad is in the recent list, the embed view has no home chrome,
// and the pad page fits a phone screen.
//
//   node webtest/js/home.mjs '{"base":"http://127.0.0.1:PORT","qrShot":"/path.png"}'
import { run, newPerson, settle, people } from './lib.mjs'

// describe names the focused element the way the Go test asserts on it.
function describe (page) {
  return page.evaluate(() => {
    const el = document.activeElement
    if (!el || el === document.body) return 'body'
    if (el.classList.contains('pad-text')) return 'editor'
    if (el.classList.contains('tool')) return 'tool:' + el.dataset.cmd
    return el.id || el.className || el.tagName.toLowerCase()
  })
}

async function tabTo (page, target, max = 20) {
  const seen = []
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab')
    const d = await describe(page)
    seen.push(d)
    if (d === target) return seen
  }
  throw new Error(`Tab never reached ${target}: ${seen.join(', ')}`)
}

run(async (browser, { base, qrShot }) => {
  const dom = await newPerson(browser) // no name remembered yet
  const page = dom.page
  await page.goto(base + '/')
  const emptyRecent = await page.locator('.recent').count()

  await tabTo(page, 'pad-title')
  await page.keyboard.type('Assemblée générale')
  await page.keyboard.press('Enter')
  await page.waitForURL(/\/p\/[0-9a-f-]{36}$/)
  const padId = page.url().split('/p/')[1]

  // The name dialog asks once.
  await page.waitForSelector('dialog.name-dialog[open]')
  const nameFocused = await describe(page)
  await page.keyboard.type('Dominique')
  await page.keyboard.press('Enter')
  await page.waitForFunction(() => document.querySelector('.person.me')?.dataset.name === 'Dominique')
  await page.waitForSelector('.status[data-state="connected"]')
  await page.waitForFunction(() => document.querySelector('.pad-title').textContent === 'Assemblée générale')

  // Focus order from the top of the page.
  await page.evaluate(() => document.activeElement && document.activeElement.blur())
  await page.evaluate(() => window.scrollTo(0, 0))
  const order = await tabTo(page, 'editor')

  // Formatting from the keyboard, reflected by aria-pressed.
  await page.keyboard.type('Ordre du jour ')
  await page.keyboard.press('Control+b')
  await page.keyboard.type('important')
  await settle(page)
  const boldPressed = await page.getAttribute('.tool[data-cmd="bold"]', 'aria-pressed')
  await page.keyboard.press('Control+b')
  await page.keyboard.type(' ')
  await settle(page)
  const boldAfter = await page.getAttribute('.tool[data-cmd="bold"]', 'aria-pressed')
  // Toolbar: Shift+Tab from the editor reaches it, arrows move inside it.
  await page.keyboard.press('Shift+Tab')
  const toolbarEntry = await describe(page)
  await page.keyboard.press('ArrowRight')
  const toolbarNext = await describe(page)
  await page.keyboard.press('End')
  const toolbarEnd = await describe(page)
  await page.keyboard.press('Home')
  // Heading 2 through the toolbar, with Enter on the button.
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight')
  const onH2 = await describe(page)
  await page.keyboard.press('Enter')
  const h2 = await page.locator('.pad-text h2').textContent()
  const h2Pressed = await page.getAttribute('.tool[data-cmd="heading2"]', 'aria-pressed')

  // A link through its dialog (Ctrl+K).
  await page.locator('.pad-text').focus()
  await page.keyboard.press('Control+End')
  await settle(page)
  await page.keyboard.press('Enter')
  await page.keyboard.press('Control+k')
  await page.waitForSelector('dialog.link-dialog[open]')
  await page.keyboard.type('javascript:alert(1)')
  await page.keyboard.press('Enter')
  const linkRefused = await page.textContent('#link-error')
  await page.fill('#link-input', 'example.org/ordre')
  await page.keyboard.press('Enter')
  await page.waitForSelector('.pad-text a')
  const link = await page.getAttribute('.pad-text a', 'href')

  // The share panel.
  await page.waitForSelector('.status[data-state="saved"]')
  await page.click('.share-button')
  await page.waitForSelector('dialog.share-dialog[open] .qr')
  const share = await page.evaluate(() => ({
    edit: document.querySelector('#share-edit').value,
    readOnly: document.querySelector('#share-readonly')?.value,
    embed: document.querySelector('#share-embed').value,
    postit: document.querySelector('.postit-url').getAttribute('href'),
    qrLabel: document.querySelector('.qr').getAttribute('aria-label')
  }))
  if (qrShot) await page.locator('.share-qr .qr').screenshot({ path: qrShot })
  await page.keyboard.press('Escape')

  // Back home: the pad is listed.
  await page.goto(base + '/')
  const recent = await page.locator('.recent a').evaluateAll(as => as.map(a => ({ text: a.textContent, href: a.getAttribute('href') })))

  // The embed view: the editor without the home chrome.
  await page.goto(`${base}/p/${padId}/embed`)
  await page.waitForSelector('.status[data-state="connected"], .status[data-state="saved"]')
  const embed = await page.evaluate(() => ({
    brand: document.querySelectorAll('.brand').length,
    share: document.querySelectorAll('.share-button').length,
    toolbar: document.querySelectorAll('.toolbar').length,
    editable: document.querySelector('.pad-text').getAttribute('contenteditable'),
    text: document.querySelector('.pad-text').textContent
  }))

  // A phone: nothing wider than the screen, and the toolbar still reachable.
  const phone = await newPerson(browser, { name: 'Mobile', viewport: { width: 390, height: 800 } })
  await phone.page.goto(`${base}/p/${padId}`)
  await phone.page.waitForSelector('.status[data-state="connected"]')
  const phoneLayout = await phone.page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    editorWidth: document.querySelector('.pad-text').getBoundingClientRect().width,
    smallestButton: Math.min(...[...document.querySelectorAll('header button, .tool')].map(b => b.getBoundingClientRect().height))
  }))

  return {
    padId,
    emptyRecent,
    nameFocused,
    storedName: await page.evaluate(() => localStorage.getItem('commonpad.name')),
    order,
    boldPressed,
    boldAfter,
    toolbarEntry,
    toolbarNext,
    toolbarEnd,
    onH2,
    h2,
    h2Pressed,
    linkRefused,
    link,
    share,
    recent,
    embed,
    phoneLayout,
    phonePeople: await people(phone.page),
    errors: [...dom.errors, ...phone.errors]
  }
})
