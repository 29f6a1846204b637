package server

import "time"

// tokenBucket allows rate events per second with bursts of up to burst.
// It belongs to one read pump and is not safe for concurrent use.
type tokenBucket struct {
	rate, burst, tokens float64
	last                time.Time
}

func newTokenBucket(rate float64, now time.Time) *tokenBucket {
	if rate <= 0 {
		return nil
	}
	burst := max(rate, 1)
	return &tokenBucket{rate: rate, burst: burst, tokens: burst, last: now}
}

// allow takes one token; a nil bucket allows everything.
func (b *tokenBucket) allow(now time.Time) bool {
	if b == nil {
		return true
	}
	b.tokens = min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
