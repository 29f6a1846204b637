package server

import (
	"net"
	"time"

	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/gorilla/websocket"
	"github.com/rs/zerolog"
)

// conn is one WebSocket client of a room. Its reads happen in the ServeHTTP
// goroutine (readPump) and its writes in writePump; everything else reaches
// the socket through queue.
type conn struct {
	ws       *websocket.Conn
	queue    *sendQueue
	readOnly bool
	log      zerolog.Logger
	metrics  *metrics
	done     chan struct{} // closed when writePump returns
}

func (c *conn) send(b []byte) bool {
	return c.queue.push(outMsg{data: b, size: len(b), kind: kindOfEncoded(b)})
}

func (c *conn) sendPrepared(pm *websocket.PreparedMessage, size int, kind msgKind) bool {
	return c.queue.push(outMsg{pm: pm, size: size, kind: kind})
}

// writePump owns every write to the socket: queued messages, pings and the
// final close frame. It closes the socket when it returns, which also ends
// readPump. rm, if not nil, is the conn's room: a room closes its members
// itself when it stops, but a join that reached the inbox as the room
// stopped would otherwise leave the conn open and unserved.
func (c *conn) writePump(rm *room, pingPeriod, writeWait time.Duration) {
	defer close(c.done)
	defer c.ws.Close()
	ticker := time.NewTicker(pingPeriod)
	defer ticker.Stop()
	var roomDone <-chan struct{}
	if rm != nil {
		roomDone = rm.done
	}
	for {
		select {
		case <-c.queue.signal:
			msgs, closed, code, reason := c.queue.take()
			for _, m := range msgs {
				_ = c.ws.SetWriteDeadline(time.Now().Add(writeWait))
				var err error
				if m.pm != nil {
					err = c.ws.WritePreparedMessage(m.pm)
				} else {
					err = c.ws.WriteMessage(websocket.BinaryMessage, m.data)
				}
				if err != nil {
					if ne, ok := err.(net.Error); ok && ne.Timeout() {
						// A write that misses WriteWait is the other
						// sign of a consumer that cannot keep up.
						c.metrics.slowConsumers.Add(1)
					}
					c.log.Debug().Err(err).Msg("write failed")
					return
				}
				c.queue.written(m.size)
				c.metrics.sent(m.kind, m.size)
			}
			if closed {
				if code != closeNormal {
					c.log.Info().Int("code", code).Str("reason", reason).Msg("closing connection")
				}
				_ = c.ws.WriteControl(websocket.CloseMessage,
					websocket.FormatCloseMessage(code, reason), time.Now().Add(writeWait))
				return
			}
		case <-roomDone:
			roomDone = nil
			code, reason := rm.exitStatus()
			c.queue.close(code, reason)
		case <-ticker.C:
			if err := c.ws.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				return
			}
		}
	}
}

// isWrite reports whether a message would change the document, so that
// read-only connections and the rate limit can tell.
func isWrite(m protocol.Message) bool {
	return m.Type == protocol.MessageSync && (m.SyncType == protocol.SyncStep2 || m.SyncType == protocol.SyncUpdate)
}
