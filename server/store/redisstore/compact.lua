-- Compact one pad: replace its snapshot and trim the records it covers,
-- atomically (Redis runs a script without interleaving other commands).
--
-- KEYS[1] the pad's log stream
-- KEYS[2] the pad's snapshot hash (fields "through" and "state")
-- KEYS[3] the pad's compaction lock
-- ARGV[1] through: the last stream ID the new state reflects
-- ARGV[2] the first stream ID after through, the XTRIM MINID threshold
-- ARGV[3] the new state
-- ARGV[4] the caller's lock token
--
-- Returns 0 when compacted, 1 when stale (the snapshot already covers
-- through), 2 when through is after the pad's last record.

-- sortable pads both parts of a stream ID to 20 digits, so that string
-- comparison orders IDs numerically. Lua numbers are doubles and would
-- round 64-bit counters.
local function sortable(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return string.rep('0', 20 - #ms) .. ms .. '-' .. string.rep('0', 20 - #seq) .. seq
end

local function release()
  if redis.call('GET', KEYS[3]) == ARGV[4] then
    redis.call('DEL', KEYS[3])
  end
end

local current = redis.call('HGET', KEYS[2], 'through')
if current and sortable(current) >= sortable(ARGV[1]) then
  release()
  return 1
end
-- A record at or after through must exist, or the state would claim
-- records nobody appended.
if #redis.call('XRANGE', KEYS[1], ARGV[1], '+', 'COUNT', 1) == 0 then
  release()
  return 2
end
redis.call('HSET', KEYS[2], 'through', ARGV[1], 'state', ARGV[3])
redis.call('XTRIM', KEYS[1], 'MINID', ARGV[2])
release()
return 0
