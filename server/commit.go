package server

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"time"

	"github.com/commonpad/commonpad/server/store"
	"github.com/rs/zerolog"
)

// commitDepth bounds the jobs a room has handed to its committer and not
// yet seen acknowledged. A room at the bound keeps gathering updates, and
// once its next batch is full it stops reading its inbox, which slows the
// writers' TCP streams instead of growing memory.
const commitDepth = 4

var (
	errCommitAborted = errors.New("server: an earlier append of the pad failed")
	errSeqCount      = errors.New("server: store returned a wrong number of seqs")
)

// commitJob is either a batch of updates to append or, with state set, a
// snapshot that replaces the records up to through. A batch may carry
// names of its writers to record once it is durable; a job with names
// alone records just them.
type commitJob struct {
	updates [][]byte
	bytes   int64
	authors map[uint64]string

	state   []byte
	through store.Seq
	covered int64 // bytes of the records the snapshot replaces
	records int   // and their number
}

func (j commitJob) isCompaction() bool { return j.state != nil }

func (j commitJob) isAuthorsOnly() bool { return j.state == nil && j.updates == nil }

// commitAck reports the fate of one job, in the order jobs were handed
// over.
type commitAck struct {
	job  commitJob
	seqs []store.Seq
	err  error
	// authorsErr is the failure to record the job's names, which costs a
	// note its credits, not the pad its content: the room tries again.
	authorsErr error
}

// committer does a room's store writes on its own goroutine, so that the
// room keeps serving joins, awareness and reads while the store syncs.
// Both channels hold commitDepth items and the room never has more
// outstanding, so neither side ever blocks on the other.
type committer struct {
	srv    *Server
	pad    string
	log    zerolog.Logger
	jobs   chan commitJob
	acks   chan commitAck
	done   chan struct{}
	failed bool // owned by run
}

func startCommitter(s *Server, pad string, log zerolog.Logger) *committer {
	c := &committer{
		srv:  s,
		pad:  pad,
		log:  log,
		jobs: make(chan commitJob, commitDepth),
		acks: make(chan commitAck, commitDepth),
		done: make(chan struct{}),
	}
	go c.run()
	return c
}

// run appends every batch queued at once in one store call (one fsync),
// each batch still its own record, and acknowledges them in order. After a
// failure it stores nothing more: later batches may depend on the lost one.
func (c *committer) run() {
	defer close(c.done)
	var next *commitJob // a compaction met while gathering appends
	for {
		var job commitJob
		if next != nil {
			job, next = *next, nil
		} else {
			j, ok := <-c.jobs
			if !ok {
				return
			}
			job = j
		}
		if job.isCompaction() {
			c.acks <- c.compact(job)
			continue
		}
		batches := []commitJob{job}
	gather:
		for len(batches) < commitDepth {
			select {
			case j, ok := <-c.jobs:
				if !ok {
					break gather
				}
				if j.isCompaction() {
					next = &j
					break gather
				}
				batches = append(batches, j)
			default:
				break gather
			}
		}
		c.appendBatches(batches)
	}
}

func (c *committer) appendBatches(batches []commitJob) {
	if c.failed {
		for _, b := range batches {
			c.acks <- commitAck{job: b, err: errCommitAborted}
		}
		return
	}
	var all [][]byte
	names := map[uint64]string{}
	for _, b := range batches {
		all = append(all, b.updates...)
		maps.Copy(names, b.authors) // later batches hold newer names
	}
	var seqs []store.Seq
	var err error
	if len(all) > 0 {
		seqs, err = c.appendWithRetry(all)
		c.failed = err != nil
	}
	var authorsErr error
	if err == nil && len(names) > 0 {
		authorsErr = c.putAuthors(names)
	}
	for _, b := range batches {
		a := commitAck{job: b, err: err, authorsErr: authorsErr}
		if b.isAuthorsOnly() {
			a.err, a.authorsErr = cmp.Or(err, authorsErr), nil
		} else if err == nil {
			a.seqs, seqs = seqs[:len(b.updates)], seqs[len(b.updates):]
		}
		c.acks <- a
	}
}

// putAuthors records names after the batches that credit them are
// durable, so a note never names someone whose words were lost.
func (c *committer) putAuthors(names map[uint64]string) error {
	as := c.srv.authors()
	if as == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.srv.cfg.StoreTimeout)
	defer cancel()
	err := as.PutAuthors(ctx, c.pad, names)
	if err != nil {
		c.srv.metrics.storeErrors[opAuthors].Add(1)
		c.log.Warn().Err(err).Msg("recording authors failed; will retry")
	}
	return err
}

// appendWithRetry retries a failed append with backoff for up to
// Config.StoreTimeout in all. Yjs updates are idempotent, so an append that
// failed after storing something costs space, never correctness.
func (c *committer) appendWithRetry(updates [][]byte) ([]store.Seq, error) {
	deadline := time.Now().Add(c.srv.cfg.StoreTimeout)
	backoff := 10 * time.Millisecond
	for attempt := 1; ; attempt++ {
		ctx, cancel := context.WithDeadline(context.Background(), deadline)
		start := time.Now()
		seqs, err := c.srv.cfg.Store.Append(ctx, c.pad, c.srv.origin, updates...)
		cancel()
		c.srv.metrics.appendSeconds.observe(time.Since(start).Seconds())
		c.srv.metrics.appendRecords.observe(float64(len(updates)))
		if err == nil && len(seqs) != len(updates) {
			return nil, errSeqCount
		}
		if err == nil {
			return seqs, nil
		}
		c.srv.metrics.storeErrors[opAppend].Add(1)
		if errors.Is(err, store.ErrClosed) || errors.Is(err, store.ErrInvalid) || time.Now().Add(backoff).After(deadline) {
			return nil, err
		}
		c.log.Warn().Err(err).Int("attempt", attempt).Msg("store append failed; retrying")
		time.Sleep(backoff)
		backoff = min(2*backoff, time.Second)
	}
}

// compact writes a snapshot. A failure is logged and otherwise harmless:
// the records stay, and a later compaction covers them.
func (c *committer) compact(job commitJob) commitAck {
	if c.failed {
		return commitAck{job: job, err: errCommitAborted}
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.srv.cfg.StoreTimeout)
	defer cancel()
	err := c.srv.cfg.Store.Compact(ctx, c.pad, job.state, job.through)
	if err != nil {
		c.srv.metrics.storeErrors[opCompact].Add(1)
		c.log.Error().Err(err).Msg("compaction failed")
	}
	return commitAck{job: job, err: err}
}

// stop ends the committer once it has handled what it was given.
func (c *committer) stop() { close(c.jobs) }
