package redisstore

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Interrupting a blocked XREAD retries CLIENT UNBLOCK from unblockMin to
// unblockMax apart, until the reader has taken the change in: the first
// one can arrive just before the XREAD starts to block, and then misses
// it.
const (
	unblockMin     = time.Millisecond
	unblockMax     = 100 * time.Millisecond
	unblockTimeout = time.Second
)

// followConn is the connection a reader blocks on, reserved for it alone
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
// Readers hold pooled connections for as long as they run, so when they
// fill the pool an unblock that had to wait for a pooled connection would
// wait for a reader to stop, which waits for the unblock. The channel
// holds the connection while nobody uses it, or nil after it failed
// (then the pool is tried instead, and the next reader on the node takes
// a fresh one).
type control chan *redis.Conn

// controlFor returns node's control channel, creating it empty. The
// caller holds s.mu.
func (s *Store) controlFor(node *redis.Client) control {
	ctl := s.controls[node]
	if ctl == nil {
		ctl = make(control, 1)
		ctl <- nil
		s.controls[node] = ctl
	}
	return ctl
}

// openControl makes sure ctl holds a connection to node, before a reader
// takes a pooled connection of its own: a reader must never block without
// a way to interrupt it.
func openControl(ctx context.Context, ctl control, node *redis.Client) error {
	var conn *redis.Conn
	select {
	case conn = <-ctl:
	case <-ctx.Done():
		return ctx.Err()
	}
	if conn == nil {
		conn = node.Conn()
		if err := conn.Ping(ctx).Err(); err != nil {
			_ = conn.Close()
			ctl <- nil
			return err
		}
	}
	ctl <- conn
	return nil
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
func (s *Store) unblock(ctl control, fc *followConn) {
	ctx, cancel := context.WithTimeout(context.Background(), unblockTimeout)
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
