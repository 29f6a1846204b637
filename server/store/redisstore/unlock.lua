-- Release a lock only if it still holds the caller's token: after it
-- expired, another instance may hold it.
--
-- KEYS[1] the lock
-- ARGV[1] the caller's token
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
