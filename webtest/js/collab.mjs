// Two people type in the same pad, at first in turn and then at the same
// time; both must end with the same text, see each other's caret with the
// right name, and undo only their own edits. A third person, who only
// watches, is photographed with both carets in view.
//
//   node webtest/js/collab.mjs '{"base":"http://127.0.0.1:PORT","screenshot":"/path.png"}'
import { run, newPerson, createPad, typeAtEnd, settle, sameText, caretNames, people, state, editorText } from './lib.mjs'

run(async (browser, { base, screenshot }) => {
  const pad = await createPad(base, 'Réunion du 12 mars')
  const url = `${base}/p/${pad.id}`
  const alice = await newPerson(browser, { name: 'Alice' })
  const bob = await newPerson(browser, { name: 'Bob' })
  await Promise.all([alice.page.goto(url), bob.page.goto(url)])
  await alice.page.waitForSelector('.status[data-state="connected"]')
  await bob.page.waitForSelector('.status[data-state="connected"]')

  // In turn: Markdown shortcuts make a heading and bold text.
  await typeAtEnd(alice.page, '# Compte rendu\nAlice ouvre la séance avec **force** ici.')
  await sameText([alice.page, bob.page], ['Alice ouvre la séance avec force ici.'])
  await typeAtEnd(bob.page, '\nBob prend des notes.')
  await sameText([alice.page, bob.page], ['Bob prend des notes.'])

  // At the same time, each in their own paragraph.
  await alice.page.locator('.pad-text h1').click()
  await alice.page.keyboard.press('End')
  await settle(alice.page)
  await Promise.all([
    alice.page.keyboard.type(' (Alice)', { delay: 15 }),
    typeAtEnd(bob.page, ' Bob tape en même temps.')
  ])
  const together = await sameText([alice.page, bob.page], ['Compte rendu (Alice)', 'Bob tape en même temps.'])

  // Undo takes back Bob's last edit only.
  await bob.page.waitForTimeout(700) // past the undo manager's capture window
  await typeAtEnd(bob.page, ' Annule-moi.')
  await sameText([alice.page, bob.page], ['Annule-moi.'])
  await bob.page.waitForTimeout(700)
  await bob.page.keyboard.press('Control+z')
  const afterUndo = await sameText([alice.page, bob.page], ['Compte rendu (Alice)', 'Bob tape en même temps.'])
  await bob.page.keyboard.press('Control+y')
  const afterRedo = await sameText([alice.page, bob.page], ['Annule-moi.'])

  await alice.page.waitForFunction(() => document.querySelector('.remote-caret-name')?.textContent === 'Bob')
  await bob.page.waitForFunction(() => document.querySelector('.remote-caret-name')?.textContent === 'Alice')
  await alice.page.waitForSelector('.status[data-state="saved"]')
  await bob.page.waitForSelector('.status[data-state="saved"]')

  const chloe = await newPerson(browser, { name: 'Chloé' })
  await chloe.page.goto(url)
  await chloe.page.waitForFunction(() => document.querySelectorAll('.remote-caret-name').length === 2)
  await chloe.page.waitForFunction(() => document.querySelectorAll('.people .person').length === 3)
  if (screenshot) await chloe.page.screenshot({ path: screenshot, animations: 'disabled' })

  return {
    padId: pad.id,
    together,
    afterUndo,
    afterRedo,
    final: await editorText(chloe.page),
    html: await alice.page.locator('.pad-text').evaluate(el => {
      const copy = el.cloneNode(true)
      copy.querySelectorAll('.remote-caret, img, br').forEach(c => c.remove())
      return copy.innerHTML
    }),
    caretsSeenByAlice: await caretNames(alice.page),
    caretsSeenByBob: await caretNames(bob.page),
    caretsSeenByChloe: await caretNames(chloe.page),
    peopleSeenByChloe: await people(chloe.page),
    caretColors: await chloe.page.locator('.remote-caret-name').evaluateAll(els => els.map(e => getComputedStyle(e).backgroundColor)),
    states: [await state(alice.page), await state(bob.page)],
    title: await alice.page.textContent('.pad-title'),
    errors: [...alice.errors, ...bob.errors, ...chloe.errors]
  }
})
