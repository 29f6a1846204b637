// Alice and Bob write a pad while Chloé watches; Alice publishes it from
// the Publish dialog, follows the link to the note, then publishes it
// again and finishes it while Bob is offline with an edit the server never
// got. Chloé's editor turns read-only by itself; Bob's does when he is
// back, and tells him his edit was not saved, with a copy of his text.
//
//   node webtest/js/publish.mjs '{"base":"http://127.0.0.1:PORT","screenshot":"/path/note.png"}'
import { run, newPerson, createPad, typeAtEnd, sameText, editorText } from './lib.mjs'

// dialogView reads what the open Publish dialog shows, once the draft is in.
async function dialogView (page) {
  await page.waitForSelector('#publish-title', { state: 'visible' })
  return page.evaluate(() => {
    const d = document.querySelector('.publish-dialog')
    const existing = d.querySelector('.publish-existing')
    return {
      open: d.open,
      labelledBy: document.getElementById(d.getAttribute('aria-labelledby'))?.textContent || '',
      focused: document.activeElement?.id || '',
      title: d.querySelector('#publish-title').value,
      authors: [...d.querySelectorAll('.publish-authors li')].map(li => ({
        name: li.querySelector('label').textContent,
        checked: li.querySelector('input').checked
      })),
      authorsHelp: d.querySelector('#publish-authors-help').textContent,
      visibility: d.querySelector('input[name="publish-visibility"]:checked')?.value || '',
      finish: d.querySelector('#publish-finish').checked,
      existing: existing.hidden ? '' : existing.textContent,
      existingLink: existing.hidden ? '' : existing.querySelector('a')?.href || '',
      submitDisabled: d.querySelector('#publish-submit').disabled
    }
  })
}

// publish presses the dialog's button and waits for the answer. A
// MutationObserver set beforehand sees whether the button was disabled
// while the request ran.
async function publish (page) {
  await page.evaluate(() => {
    const btn = document.querySelector('#publish-submit')
    window.sawBusy = false
    new MutationObserver(() => { if (btn.disabled) window.sawBusy = true }).observe(btn, { attributes: true })
  })
  await page.click('#publish-submit')
  await page.waitForSelector('.publish-open', { state: 'visible' })
  return page.evaluate(() => {
    const r = document.querySelector('.publish-result')
    return {
      text: r.textContent,
      versionLink: r.querySelector('.publish-version-link').href,
      openLink: r.querySelector('.publish-open').href,
      openText: r.querySelector('.publish-open').textContent,
      focused: document.activeElement?.className || '',
      error: document.querySelector('#publish-error').textContent,
      sawBusy: window.sawBusy,
      submitDisabled: document.querySelector('#publish-submit').disabled
    }
  })
}

function withoutOne (list, re) {
  const i = list.findIndex(e => re.test(e))
  return i < 0 ? list : [...list.slice(0, i), ...list.slice(i + 1)]
}

// readOnlyView is what a page shows once the pad is finished.
async function readOnlyView (page) {
  return page.evaluate(() => {
    const unsaved = document.querySelector('.unsaved-notice')
    return {
      editable: document.querySelector('.pad-text').getAttribute('contenteditable'),
      notice: document.querySelector('.notice').textContent,
      state: document.querySelector('.status').dataset.state,
      toolbar: document.querySelectorAll('.toolbar').length,
      url: location.href,
      unsaved: unsaved.hidden ? '' : unsaved.querySelector('p').textContent,
      unsavedRole: unsaved.getAttribute('role')
    }
  })
}

async function getJSON (url) {
  const res = await fetch(url, { headers: { Accept: 'application/json' } })
  return { status: res.status, body: await res.json() }
}

run(async (browser, { base, screenshot }) => {
  const pad = await createPad(base, 'Réunion du 12 mars')
  const url = `${base}/p/${pad.id}`
  const alice = await newPerson(browser, { name: 'Alice' })
  const bob = await newPerson(browser, { name: 'Bob' })
  await bob.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
  const chloe = await newPerson(browser, { name: 'Chloé' })
  await Promise.all([alice.page.goto(url), bob.page.goto(url), chloe.page.goto(url)])
  for (const p of [alice.page, bob.page, chloe.page]) await p.waitForSelector('.status[data-state="connected"]')

  await typeAtEnd(alice.page, '# Compte rendu\nAlice ouvre la séance.')
  await sameText([alice.page, bob.page], ['Alice ouvre la séance.'])
  await typeAtEnd(bob.page, '\nBob ajoute <b>&</b> sans balise.')
  await sameText([alice.page, bob.page], ['Bob ajoute <b>&</b> sans balise.'])
  await alice.page.waitForSelector('.status[data-state="saved"]')
  await bob.page.waitForSelector('.status[data-state="saved"]')

  // First publication, mostly by keyboard: the dialog opens on the title.
  await alice.page.focus('.publish-button')
  await alice.page.keyboard.press('Enter')
  const first = await dialogView(alice.page)
  await alice.page.waitForFunction(() => document.activeElement?.id === 'publish-title')
  await alice.page.keyboard.press('Control+a')
  await alice.page.keyboard.type('Compte rendu du 12 mars')
  await alice.page.check('#publish-public')
  const published = await publish(alice.page)

  // Alice follows the link; the note opens in a new tab.
  const [note] = await Promise.all([alice.context.waitForEvent('page'), alice.page.click('.publish-open')])
  await note.waitForLoadState()
  const notePage = await note.evaluate(() => ({
    url: location.href,
    h1: document.querySelector('h1')?.textContent || '',
    paragraphs: [...document.querySelectorAll('article p')].map(p => p.textContent),
    markupInArticle: document.querySelectorAll('article b').length,
    meta: document.querySelector('.meta')?.textContent || ''
  }))
  if (screenshot) await note.screenshot({ path: screenshot, fullPage: true, animations: 'disabled' })
  await note.close()

  // Bob's network drops; what he types now stays in his browser.
  await bob.context.setOffline(true)
  await bob.page.waitForSelector('.status[data-state="offline"]')
  await typeAtEnd(bob.page, '\nAjout hors ligne')

  // Publishing again: the dialog knows the note, keeps it public, and
  // this time finishes the pad.
  await alice.page.click('.publish-dialog button:not(#publish-submit)')
  await alice.page.click('.publish-button')
  await alice.page.waitForFunction(() => !document.querySelector('.publish-existing').hidden)
  const second = await dialogView(alice.page)
  await alice.page.check('#publish-finish')

  // A refusal shows the server's message; the request carried what the
  // form said, without the name Alice unchecked.
  let refusedBody = null
  const refuse = async route => {
    refusedBody = route.request().postDataJSON()
    await route.fulfill({ status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'publish: refused for the test' }) })
  }
  await alice.page.route('**/api/pads/*/publish', route => route.request().method() === 'POST' ? refuse(route) : route.continue())
  await alice.page.uncheck('#publish-author-1')
  await alice.page.click('#publish-submit')
  await alice.page.waitForFunction(() => document.querySelector('#publish-error').textContent !== '')
  const refusal = await alice.page.evaluate(() => {
    const e = document.querySelector('#publish-error')
    return {
      role: e.getAttribute('role'),
      text: e.textContent,
      submitDisabled: document.querySelector('#publish-submit').disabled,
      resultHidden: document.querySelector('.publish-result').hidden,
      editable: document.querySelector('.pad-text').getAttribute('contenteditable')
    }
  })
  await alice.page.unroute('**/api/pads/*/publish')
  await alice.page.check('#publish-author-1')
  const republished = await publish(alice.page)

  // Chloé did nothing: her editor turns read-only by itself.
  await chloe.page.waitForFunction(() => document.querySelector('.pad-text')?.getAttribute('contenteditable') === 'false')
  await chloe.page.waitForSelector('.notice:not([hidden])')
  await alice.page.waitForFunction(() => document.querySelector('.pad-text')?.getAttribute('contenteditable') === 'false')
  const chloeLive = await readOnlyView(chloe.page)

  // Bob comes back: the server refuses his edit, and he is told so.
  await bob.context.setOffline(false)
  await bob.page.waitForFunction(() => document.querySelector('.pad-text')?.getAttribute('contenteditable') === 'false')
  await bob.page.waitForSelector('.unsaved-notice:not([hidden])')
  const bobView = await readOnlyView(bob.page)
  await bob.page.click('.unsaved-copy')
  await bob.page.waitForFunction(() => document.querySelector('.unsaved-outcome').textContent !== '')
  const bobCopy = {
    outcome: await bob.page.textContent('.unsaved-outcome'),
    clipboard: await bob.page.evaluate(() => navigator.clipboard.readText()),
    fallbackShown: await bob.page.isVisible('.unsaved-text'),
    editor: await editorText(bob.page)
  }
  // Alice and Chloé lost nothing: their check ends without a warning.
  for (const p of [alice.page, chloe.page]) await p.waitForSelector('.unsaved-notice[data-checked]', { state: 'attached' })
  const aliceView = {
    ...await readOnlyView(alice.page),
    dialogFinish: await alice.page.evaluate(() => {
      const f = document.querySelector('#publish-finish')
      return { checked: f.checked, disabled: f.disabled }
    })
  }

  // The finished pad opened afresh is read-only from the start.
  const fresh = await chloe.context.newPage()
  await fresh.goto(url)
  await fresh.waitForFunction(() => document.querySelector('.pad-text')?.getAttribute('contenteditable') === 'false')
  const chloeView = { notice: await fresh.textContent('.notice'), url: fresh.url() }

  const slug = new URL(published.openLink).pathname.split('/')[2]
  const list = await (await fetch(`${base}/notes`)).text()
  return {
    padId: pad.id,
    slug,
    first,
    published,
    notePage,
    second,
    refusal,
    refusedBody,
    republished,
    bobView,
    bobCopy,
    aliceView,
    chloeLive,
    chloeView,
    notePageText: await (await fetch(`${base}/n/${slug}`)).text(),
    apiNote: await getJSON(`${base}/api/notes/${slug}`),
    apiPad: await getJSON(`${base}/api/pads/${pad.id}`),
    notesListed: list.includes(`href="/n/${slug}"`) && list.includes('Compte rendu du 12 mars'),
    // The console reports the refusal the test made up, once.
    errors: [...withoutOne(alice.errors, /status of 400/), ...bob.errors, ...chloe.errors]
  }
})
