-- Delete a pad's metadata if it is still what the caller read, freeing
-- its ID and read-only ID.
--
-- KEYS[1] the pad's metadata key
-- KEYS[2] read-only index key of its read-only ID
-- KEYS[3] the sorted set listing every pad ID
-- ARGV[1] the record as the caller read it
-- ARGV[2] the pad ID
--
-- Returns 1 when deleted, 0 when the record changed or vanished meanwhile.
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[2])
return 1
