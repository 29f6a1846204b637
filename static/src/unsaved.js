// Edits this device holds that the server never stored. Once a pad is
// finished the server refuses every write, so whatever it lacks then is
// lost unless the person keeps it some other way: the pad page tells them.
//
// A copy of a Yjs document is described by its state vector (for each
// client, how many of its items it has) and its delete set (which of those
// items are deleted). Items are numbered in order per client, so the
// server lacks exactly the items past its clock; deletions are not
// numbered, and are compared range by range. Both sides are plain values
// here ({sv: Map<client, clock>, deleted: Map<client, [{clock, len}]>}),
// as Y.snapshot and Y.decodeUpdate describe them, so that this runs under
// Node without a document.

// missingEdits counts what local has and server lacks: inserted items, and
// deletions of items the server has but still shows.
export function missingEdits (local, server) {
  let inserted = 0
  let deleted = 0
  for (const [client, clock] of local.sv) {
    const theirs = server.sv.get(client) || 0
    if (clock > theirs) inserted += clock - theirs
  }
  for (const [client, ranges] of local.deleted) {
    const theirs = server.sv.get(client) || 0
    // Deleting an item the server never had is part of an insertion it lacks.
    const known = clip(ranges, theirs)
    deleted += length(known) - overlap(known, server.deleted.get(client) || [])
  }
  return { inserted, deleted }
}

// hasMissingEdits says whether anything would be lost.
export function hasMissingEdits (local, server) {
  const m = missingEdits(local, server)
  return m.inserted > 0 || m.deleted > 0
}

function clip (ranges, end) {
  const out = []
  for (const { clock, len } of ranges) {
    const stop = Math.min(clock + len, end)
    if (stop > clock) out.push({ clock, len: stop - clock })
  }
  return out
}

function length (ranges) {
  return merge(ranges).reduce((n, r) => n + r.len, 0)
}

// overlap is how much of ranges the cover deletes too.
function overlap (ranges, cover) {
  const a = merge(ranges)
  const b = merge(cover)
  let n = 0
  for (const r of a) {
    for (const c of b) {
      const from = Math.max(r.clock, c.clock)
      const to = Math.min(r.clock + r.len, c.clock + c.len)
      if (to > from) n += to - from
    }
  }
  return n
}

// merge sorts ranges and joins those that touch, so that no clock counts
// twice; Yjs may split one deletion into several adjacent ranges.
function merge (ranges) {
  const sorted = ranges.filter(r => r.len > 0).map(r => ({ clock: r.clock, len: r.len })).sort((x, y) => x.clock - y.clock)
  const out = []
  for (const r of sorted) {
    const last = out[out.length - 1]
    if (last && r.clock <= last.clock + last.len) {
      last.len = Math.max(last.len, r.clock + r.len - last.clock)
    } else {
      out.push(r)
    }
  }
  return out
}

// plainText is the text of a ProseMirror document, one line per block,
// for someone to paste elsewhere.
export function plainText (doc) {
  const lines = []
  doc.descendants(node => {
    if (node.isTextblock) {
      lines.push(node.textBetween(0, node.content.size, '\n', leaf => leaf.type.name === 'hardBreak' ? '\n' : ''))
      return false
    }
    return true
  })
  return lines.join('\n')
}
