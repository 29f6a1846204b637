package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/server/store"
)

// Interrupting a blocked XREAD retries CLIENT UNBLOCK from unblockMin to
// unblockMax apart, until Follow returns: the first one can arrive just
// before the XREAD starts to block, and then misses it.
const (
	unblockMin     = time.Millisecond
	unblockMax     = 100 * time.Millisecond
	unblockTimeout = time.Second
)

// followConn is the connection a Follow blocks on, reserved for it alone
// so that it can be interrupted by its client ID without disturbing
// anybody else's command.
type followConn struct {
	conn *redis.Conn
	id   int64
	node *redis.Client // the node conn belongs to
}

// nodeFor returns the client of the node that holds key.
func (s *Store) nodeFor(ctx context.Context, key string) (*redis.Client, error) {
	switch c := s.rdb.(type) {
	case *redis.Client:
		return c, nil
	case *redis.ClusterClient:
		return c.MasterForKey(ctx, key)
	default:
		return nil, fmt.Errorf("unsupported client %T", s.rdb) // New refuses these
	}
}

// dialFollow reserves a pooled connection on node.
func dialFollow(ctx context.Context, node *redis.Client) (*followConn, error) {
	conn := node.Conn()
	id, err := conn.ClientID(ctx).Result()
	if err != nil {
		_ = conn.Close()
		return nil, err
	}
	return &followConn{conn: conn, id: id, node: node}, nil
}

// control is a connection kept aside on one node to send CLIENT UNBLOCK.
// Followers hold pooled connections for as long as they run, so when they
// fill the pool an unblock that had to wait for a pooled connection would
// wait for a follower to return, which waits for the unblock. The
// channel holds the connection while nobody uses it, or nil after it
// failed (then the pool is tried instead, and the next Follow on the node
// takes a fresh one).
type control chan *redis.Conn

// acquireFollow registers a starting Follow, and makes sure node has a
// control connection before the Follow takes a connection of its own.
func (s *Store) acquireFollow(ctx context.Context, node *redis.Client) (control, error) {
	s.mu.Lock()
	if s.closed() {
		s.mu.Unlock()
		return nil, store.ErrClosed
	}
	s.follows++
	ctl := s.controls[node]
	if ctl == nil {
		ctl = make(control, 1)
		ctl <- nil
		s.controls[node] = ctl
	}
	s.mu.Unlock()

	var conn *redis.Conn
	select {
	case conn = <-ctl:
	case <-ctx.Done():
		s.releaseFollow()
		return nil, ctx.Err()
	}
	if conn == nil {
		conn = node.Conn()
		if err := conn.Ping(ctx).Err(); err != nil {
			_ = conn.Close()
			ctl <- nil
			s.releaseFollow()
			return nil, err
		}
	}
	ctl <- conn
	return ctl, nil
}

// releaseFollow unregisters a returning Follow. The last one out after
// Close gives the control connections back to the pool; before that they
// may still be needed to interrupt the others.
func (s *Store) releaseFollow() {
	s.mu.Lock()
	s.follows--
	var ctls map[*redis.Client]control
	if s.follows == 0 && s.closed() {
		ctls, s.controls = s.controls, map[*redis.Client]control{}
	}
	s.mu.Unlock()
	closeControls(ctls)
}

func closeControls(ctls map[*redis.Client]control) {
	for _, ctl := range ctls {
		if conn := <-ctl; conn != nil {
			_ = conn.Close()
		}
	}
}

// unblock sends CLIENT UNBLOCK for fc over the node's control connection,
// or over the pool if that connection has failed.
func (s *Store) unblock(ctx context.Context, ctl control, fc *followConn) {
	ctx, cancel := context.WithTimeout(ctx, unblockTimeout)
	defer cancel()
	var conn *redis.Conn
	select {
	case conn = <-ctl:
	case <-ctx.Done():
		return
	}
	if conn == nil {
		ctl <- nil
		_ = fc.node.ClientUnblock(ctx, fc.id).Err()
		return
	}
	if err := conn.ClientUnblock(ctx, fc.id).Err(); err != nil {
		_ = conn.Close()
		conn = nil
	}
	ctl <- conn
}

// interruptOnDone unblocks fc's XREAD once ctx ends or the store closes,
// and keeps doing so until stop is closed. It closes done on return, so
// the caller can wait for it before it gives the connection back: a late
// CLIENT UNBLOCK would otherwise hit the connection's next user.
func (s *Store) interruptOnDone(ctx context.Context, ctl control, fc *followConn, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	select {
	case <-stop:
		return
	case <-ctx.Done():
	case <-s.closing:
	}
	wait := unblockMin
	for {
		s.unblock(context.WithoutCancel(ctx), ctl, fc)
		select {
		case <-stop:
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, unblockMax)
	}
}
