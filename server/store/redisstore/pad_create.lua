-- Create a pad's metadata unless its ID or read-only ID is taken. IDs and
-- read-only IDs share one namespace, so each is checked both ways.
--
-- KEYS[1] metadata key of the new ID
-- KEYS[2] read-only index key of the new read-only ID
-- KEYS[3] metadata key named by the new read-only ID
-- KEYS[4] read-only index key named by the new ID
-- KEYS[5] the sorted set listing every pad ID
-- ARGV[1] the pad record
-- ARGV[2] the pad ID
--
-- Returns 1 when created, 0 when an ID is taken.
if redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3], KEYS[4]) > 0 then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SET', KEYS[2], ARGV[2])
redis.call('ZADD', KEYS[5], 0, ARGV[2])
return 1
