import { test } from 'node:test'
import assert from 'node:assert/strict'
import { errorKey } from '../postit.js'
import { dictionary } from '../i18n.js'

test('each refusal of the server has its own translated message', () => {
  const cases = [
    [400, '', 'postit.error.invalid'],
    [403, 'this pad is finished and takes no more post-its', 'postit.error.finished'],
    [403, 'this is a read-only link', 'postit.error.readOnly'],
    [404, '', 'postit.error.notFound'],
    [413, '', 'postit.error.full'],
    [429, '', 'postit.error.tooMany'],
    [503, '', 'postit.error.other']
  ]
  for (const [status, msg, key] of cases) {
    assert.equal(errorKey(status, msg), key, `${status} ${msg}`)
    assert.ok(dictionary.en[key] && dictionary.fr[key], key)
  }
})
