// One person goes offline, both edit, the offline one comes back and both
// converge. Then the same person edits offline and closes the page before
// the network returns: the edit is kept in IndexedDB and reaches the pad
// when the pad is opened again.
//
//   node webtest/js/offline.mjs '{"base":"http://127.0.0.1:PORT"}'
import { run, newPerson, createPad, typeAtEnd, sameText, editorText, state, people } from './lib.mjs'

// peopleWithin waits up to ms for page's list of people present to be
// want, and returns the list it last saw.
async function peopleWithin (page, want, ms) {
  const end = Date.now() + ms
  let seen = await people(page)
  while (Date.now() < end && seen.join() !== want.join()) {
    await page.waitForTimeout(50)
    seen = await people(page)
  }
  return seen
}

// storedUpdates counts the updates y-indexeddb keeps for the pad.
function storedUpdates (page, id) {
  return page.evaluate(name => new Promise((resolve, reject) => {
    const open = indexedDB.open(name)
    open.onerror = () => reject(open.error)
    open.onsuccess = () => {
      const db = open.result
      if (!db.objectStoreNames.contains('updates')) return resolve(0)
      const count = db.transaction('updates').objectStore('updates').count()
      count.onsuccess = () => { db.close(); resolve(count.result) }
      count.onerror = () => reject(count.error)
    }
  }), 'commonpad:' + id)
}

async function waitStored (page, id, more) {
  const end = Date.now() + 5000
  while (Date.now() < end) {
    if (await storedUpdates(page, id) > more) return
    await page.waitForTimeout(50)
  }
  throw new Error('the offline edit never reached IndexedDB')
}

run(async (browser, { base }) => {
  const pad = await createPad(base, 'Hors ligne')
  const url = `${base}/p/${pad.id}`
  const alice = await newPerson(browser, { name: 'Alice' })
  const bob = await newPerson(browser, { name: 'Bob' })
  await Promise.all([alice.page.goto(url), bob.page.goto(url)])
  await alice.page.waitForSelector('.status[data-state="connected"]')
  await bob.page.waitForSelector('.status[data-state="connected"]')
  await typeAtEnd(alice.page, 'Ligne commune')
  await sameText([alice.page, bob.page], ['Ligne commune'])

  // Part 0: Alice's network drops and comes back while she does nothing.
  // Her old connection dies on the server after her new one announced her:
  // Bob must still see her, at once and afterwards, not from her next
  // keystroke on.
  await alice.context.setOffline(true)
  await alice.page.waitForSelector('.status[data-state="offline"]')
  await alice.page.waitForTimeout(300)
  await alice.context.setOffline(false)
  await alice.page.waitForSelector('.status[data-state="connected"], .status[data-state="saved"]')
  const presentAfterReturn = await peopleWithin(bob.page, ['Bob', 'Alice'], 5000)
  await bob.page.waitForTimeout(1500)
  const presentLater = await people(bob.page)

  // Part 1: offline, then back on the same page.
  await alice.context.setOffline(true)
  await alice.page.waitForSelector('.status[data-state="offline"]')
  const offlineLabel = await alice.page.textContent('.status-text')
  await typeAtEnd(alice.page, '\nAlice hors ligne')
  await typeAtEnd(bob.page, '\nBob en ligne')
  await bob.page.waitForSelector('.status[data-state="saved"]')
  await alice.page.waitForTimeout(300)
  const apart = { alice: await editorText(alice.page), bob: await editorText(bob.page) }
  await alice.context.setOffline(false)
  const rejoined = await sameText([alice.page, bob.page], ['Alice hors ligne', 'Bob en ligne'])
  await alice.page.waitForSelector('.status[data-state="saved"]')

  // Part 2: an offline edit survives closing the page.
  await alice.context.setOffline(true)
  await alice.page.waitForSelector('.status[data-state="offline"]')
  const before = await storedUpdates(alice.page, pad.id)
  await typeAtEnd(alice.page, '\nGardé sur cet appareil')
  await waitStored(alice.page, pad.id, before)
  await alice.page.close()
  await typeAtEnd(bob.page, '\nBob continue')
  await bob.page.waitForSelector('.status[data-state="saved"]')
  const bobAlone = await editorText(bob.page)
  await alice.context.setOffline(false)
  const again = await alice.context.newPage()
  await again.goto(url)
  const restored = await sameText([again, bob.page], ['Gardé sur cet appareil', 'Bob continue'])
  await again.waitForSelector('.status[data-state="saved"]')

  return {
    padId: pad.id,
    offlineLabel,
    apart,
    rejoined,
    presentAfterReturn,
    presentLater,
    bobAlone,
    restored,
    states: [await state(again), await state(bob.page)],
    errors: [...alice.errors, ...bob.errors]
  }
})
