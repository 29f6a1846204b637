package server

import (
	"context"
	"errors"
	"time"

	"github.com/commonpad/commonpad/server/store"
)

// commitDepth bounds the batches a room has handed to its committer and not
// yet seen acknowledged. A room at the bound keeps gathering updates, and
// once its next batch is full it stops reading its inbox, which slows the
// writers' TCP streams instead of growing memory.
const commitDepth = 4

var errCommitAborted = errors.New("server: an earlier append of the pad failed")

// commitAck reports the fate of one batch, in the order batches were
// handed over.
type commitAck struct {
	updates [][]byte
	seqs    []store.Seq
	err     error
}

// committer makes a room's batches durable on its own goroutine, so that
// the room keeps serving joins, awareness and reads while the store syncs.
// Both channels hold commitDepth items and the room never has more
// outstanding, so neither side ever blocks on the other.
type committer struct {
	srv  *Server
	pad  string
	jobs chan [][]byte
	acks chan commitAck
	done chan struct{}
}

func startCommitter(s *Server, pad string) *committer {
	c := &committer{
		srv:  s,
		pad:  pad,
		jobs: make(chan [][]byte, commitDepth),
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
	failed := false
	for job := range c.jobs {
		batches := [][][]byte{job}
	drain:
		for len(batches) < commitDepth {
			select {
			case j, ok := <-c.jobs:
				if !ok {
					break drain
				}
				batches = append(batches, j)
			default:
				break drain
			}
		}
		if failed {
			for _, b := range batches {
				c.acks <- commitAck{updates: b, err: errCommitAborted}
			}
			continue
		}
		var all [][]byte
		for _, b := range batches {
			all = append(all, b...)
		}
		ctx, cancel := context.WithTimeout(context.Background(), c.srv.cfg.StoreTimeout)
		start := time.Now()
		seqs, err := c.srv.cfg.Store.Append(ctx, c.pad, c.srv.origin, all...)
		cancel()
		c.srv.metrics.appendSeconds.observe(time.Since(start).Seconds())
		c.srv.metrics.appendRecords.observe(float64(len(all)))
		if err == nil && len(seqs) != len(all) {
			err = errors.New("server: store returned a wrong number of seqs")
		}
		if err != nil {
			failed = true
			c.srv.metrics.storeErrors[opAppend].Add(1)
		}
		for _, b := range batches {
			a := commitAck{updates: b, err: err}
			if err == nil {
				a.seqs, seqs = seqs[:len(b)], seqs[len(b):]
			}
			c.acks <- a
		}
	}
}

// stop ends the committer once it has handled what it was given.
func (c *committer) stop() { close(c.jobs) }
