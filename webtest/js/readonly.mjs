// The read-only view shows the pad live but cannot change it: not by
// typing, not by pasting, not by the keyboard shortcuts. The server's own
// read-only link form, /p/{readOnlyId}, turns read-only as soon as the
// server refuses a write, and moves to /r/{readOnlyId}.
//
//   node webtest/js/readonly.mjs '{"base":"http://127.0.0.1:PORT"}'
import { run, newPerson, createPad, typeAtEnd, sameText, editorText, state, people, settle } from './lib.mjs'

async function tryToEdit (page) {
  await page.locator('.pad-text').click()
  await page.keyboard.press('Control+End')
  await settle(page)
  await page.keyboard.type('INTRUS')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Control+a')
  await page.keyboard.press('Backspace')
  await page.keyboard.press('Control+b')
  await page.evaluate(() => {
    const el = document.querySelector('.pad-text')
    const data = new DataTransfer()
    data.setData('text/plain', 'COLLE')
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }))
  })
}

run(async (browser, { base }) => {
  const pad = await createPad(base, 'Lecture seule')
  const alice = await newPerson(browser, { name: 'Alice' })
  await alice.page.goto(`${base}/p/${pad.id}`)
  await alice.page.waitForSelector('.status[data-state="connected"]')
  await typeAtEnd(alice.page, 'Texte protégé')
  await alice.page.waitForSelector('.status[data-state="saved"]')

  const reader = await newPerson(browser, { name: 'Rita' })
  await reader.page.goto(`${base}/r/${pad.readOnlyId}`)
  await sameText([alice.page, reader.page], ['Texte protégé'])
  const view = {
    state: await state(reader.page),
    editable: await reader.page.getAttribute('.pad-text', 'contenteditable'),
    ariaReadonly: await reader.page.getAttribute('.pad-text', 'aria-readonly'),
    toolbar: await reader.page.locator('.toolbar').count(),
    shareButton: await reader.page.locator('.share-button').count(),
    notice: await reader.page.textContent('.notice')
  }
  await tryToEdit(reader.page)
  // Alice keeps writing: the reader follows live.
  await typeAtEnd(alice.page, ' Suite.')
  const afterReader = await sameText([alice.page, reader.page], ['Texte protégé Suite.'])

  // The link the API returns for read-only access: /p/{readOnlyId}.
  const legacy = await newPerson(browser, { name: 'Léo' })
  await legacy.page.goto(pad.urls.readOnly)
  await legacy.page.waitForSelector('.status[data-state="readOnly"]')
  await legacy.page.waitForURL(`**/r/${pad.readOnlyId}`)
  await tryToEdit(legacy.page)
  await legacy.page.waitForTimeout(300)
  const afterLegacy = await sameText([alice.page, legacy.page, reader.page], ['Texte protégé Suite.'])

  return {
    padId: pad.id,
    view,
    afterReader,
    afterLegacy,
    readOnlyId: pad.readOnlyId,
    legacyURL: legacy.page.url(),
    legacyEditable: await legacy.page.getAttribute('.pad-text', 'contenteditable'),
    aliceSees: await people(alice.page),
    aliceText: await editorText(alice.page),
    errors: [...alice.errors, ...reader.errors],
    // The /p/ form first asks the API for a pad by that id, which is a 404.
    legacyErrors: legacy.errors.filter(e => !/404/.test(e))
  }
})
