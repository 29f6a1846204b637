-- Replace a pad's metadata if it is still what the caller read (optimistic
-- concurrency: the record itself is the version), moving its read-only ID
-- if that changed.
--
-- KEYS[1] the pad's metadata key
-- KEYS[2] read-only index key of the current read-only ID
-- KEYS[3] read-only index key of the new read-only ID (KEYS[2] if unchanged)
-- KEYS[4] metadata key named by the new read-only ID
-- ARGV[1] the record as the caller read it
-- ARGV[2] the new record
-- ARGV[3] the pad ID
--
-- Returns 1 when stored, 0 when the record changed or vanished meanwhile
-- (the caller reads again), -1 when the new read-only ID is taken.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if KEYS[2] ~= KEYS[3] then
  if redis.call('EXISTS', KEYS[3], KEYS[4]) > 0 then
    return -1
  end
  redis.call('DEL', KEYS[2])
  redis.call('SET', KEYS[3], ARGV[3])
end
redis.call('SET', KEYS[1], ARGV[2])
return 1
