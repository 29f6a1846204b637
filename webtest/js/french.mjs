// The interface follows the browser's language, switches to French with
// the visible switch, and remembers the choice; the Publish dialog of a
// French browser is French too.
//
//   node webtest/js/french.mjs '{"base":"http://127.0.0.1:PORT"}'
import { run, newPerson, createPad } from './lib.mjs'

async function labels (page) {
  return page.evaluate(() => ({
    lang: document.documentElement.lang,
    heading: document.querySelector('h1')?.textContent,
    bold: document.querySelector('.tool[data-cmd="bold"]')?.getAttribute('aria-label'),
    toolbar: document.querySelector('.toolbar')?.getAttribute('aria-label'),
    status: document.querySelector('.status-text')?.textContent,
    share: document.querySelector('.share-button')?.textContent,
    editor: document.querySelector('.pad-text')?.getAttribute('aria-label'),
    name: document.querySelector('.name-button')?.getAttribute('aria-label'),
    me: document.querySelector('.person.me')?.textContent,
    title: document.title
  }))
}

run(async (browser, { base }) => {
  const pad = await createPad(base, '')
  const en = await newPerson(browser, { locale: 'en-GB', name: 'Ana' })
  await en.page.goto(base + '/')
  const homeBefore = await labels(en.page)
  await en.page.selectOption('#lang-switch', 'fr')
  const homeAfter = await labels(en.page)
  await en.page.goto(`${base}/p/${pad.id}`)
  await en.page.waitForSelector('.status[data-state="connected"]')
  const padRemembered = await labels(en.page)
  await en.page.selectOption('#lang-switch', 'en')
  const padBack = await labels(en.page)

  // A browser in French starts in French without any choice made.
  const fr = await newPerson(browser, { locale: 'fr-FR', name: 'Zoé' })
  await fr.page.goto(`${base}/p/${pad.id}`)
  await fr.page.waitForSelector('.status[data-state="connected"]')
  const padFromBrowser = await labels(fr.page)

  // The Publish dialog, in French from its heading to its button.
  await fr.page.click('.publish-button')
  await fr.page.waitForSelector('#publish-title', { state: 'visible' })
  const publish = await fr.page.evaluate(() => {
    const d = document.querySelector('.publish-dialog')
    const text = sel => d.querySelector(sel)?.textContent || ''
    return {
      button: document.querySelector('.publish-button').textContent,
      heading: document.getElementById(d.getAttribute('aria-labelledby'))?.textContent || '',
      titleLabel: text('label[for="publish-title"]'),
      legends: [...d.querySelectorAll('legend')].map(l => l.textContent),
      unlisted: text('label[for="publish-unlisted"]'),
      public: text('label[for="publish-public"]'),
      finish: text('label[for="publish-finish"]'),
      submit: text('#publish-submit')
    }
  })

  // Every visible text node outside the pad text is a translation, never a
  // dictionary key such as "toolbar.bold".
  const leakedKeys = await fr.page.evaluate(() => {
    const out = []
    const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    while (walk.nextNode()) {
      const n = walk.currentNode
      if (n.parentElement.closest('.pad-text')) continue
      if (/\b[a-z]+\.[a-z][A-Za-z]+\b/.test(n.textContent) && !/commonpad/.test(n.textContent)) out.push(n.textContent)
    }
    return out
  })

  return { homeBefore, homeAfter, padRemembered, padBack, padFromBrowser, publish, leakedKeys, errors: [...en.errors, ...fr.errors] }
})
