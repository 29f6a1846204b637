// A post-it written on a phone, with the keyboard alone, appears live in
// an editor open on the same pad, under the "Post-its" heading; the phone
// remembers the name for the next one.
//
//   node webtest/js/postit.mjs '{"base":"http://127.0.0.1:PORT"}'
import { run, newPerson, createPad, typeAtEnd, sameText, editorText } from './lib.mjs'

run(async (browser, { base }) => {
  const pad = await createPad(base, 'Atelier')
  const alice = await newPerson(browser, { name: 'Alice' })
  await alice.page.goto(`${base}/p/${pad.id}`)
  await alice.page.waitForSelector('.status[data-state="connected"]')
  await typeAtEnd(alice.page, 'Ordre du jour')
  await alice.page.waitForSelector('.status[data-state="saved"]')

  const phone = await newPerson(browser, { locale: 'fr-FR', viewport: { width: 390, height: 844 } })
  await phone.page.goto(`${base}/p/${pad.id}/postit`)
  await phone.page.waitForSelector('#postit-text:focus')
  // Keyboard only: the text box has the focus, Tab reaches the name,
  // Enter in the name sends.
  await phone.page.keyboard.type('Plus de café')
  await phone.page.keyboard.press('Tab')
  const nameFocused = await phone.page.evaluate(() => document.activeElement.id)
  await phone.page.keyboard.type('Zoé')
  await phone.page.keyboard.press('Enter')
  await phone.page.waitForSelector('#postit-message.ok')
  const confirmation = await phone.page.textContent('#postit-message')
  const textAfter = await phone.page.inputValue('#postit-text')
  const aliceText = await sameText([alice.page], ['Post-its', 'Plus de café — Zoé'])

  // The focus returns to the text box: a second one, sent with Ctrl+Enter.
  await phone.page.waitForSelector('.postit-send:not([disabled])')
  const focusAfter = await phone.page.evaluate(() => document.activeElement.id)
  await phone.page.waitForSelector('#postit-text:focus')
  await phone.page.keyboard.type('Pause à 11 h')
  await phone.page.keyboard.press('Control+Enter')
  const aliceText2 = await sameText([alice.page], ['Plus de café — Zoé', 'Pause à 11 h — Zoé'])

  await phone.page.reload()
  await phone.page.waitForSelector('#postit-text:focus')
  const layout = await phone.page.evaluate(() => ({
    pageWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
    sendHeight: document.querySelector('.postit-send').getBoundingClientRect().height
  }))
  return {
    padId: pad.id,
    nameFocused,
    focusAfter,
    confirmation,
    textAfter,
    aliceText,
    aliceText2,
    finalText: await editorText(alice.page),
    rememberedName: await phone.page.inputValue('#postit-name'),
    lang: await phone.page.getAttribute('html', 'lang'),
    layout,
    errors: [...alice.errors, ...phone.errors]
  }
})
