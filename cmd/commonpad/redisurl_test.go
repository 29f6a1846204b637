package main

import (
	"bytes"
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/websocket"
	"github.com/redis/go-redis/v9"

	"github.com/commonpad/commonpad/crdt"
	"github.com/commonpad/commonpad/crdt/protocol"
	"github.com/commonpad/commonpad/server/store/redisstore"
	redistest "github.com/commonpad/commonpad/tools/redis-test"
)

func TestRedisURLForms(t *testing.T) {
	var help bytes.Buffer
	_, _ = parseOptions([]string{"--help"}, envOf(nil), &help)
	for _, want := range []string{"redis://", "redis-sentinel://", "master_name=", "redis-cluster://"} {
		if !strings.Contains(help.String(), want) {
			t.Errorf("--help lacks %q", want)
		}
	}

	single, where, err := newRedisClient("redis://:pw@h1:6380/2?pool_size=7")
	if err != nil {
		t.Fatal(err)
	}
	defer single.Close()
	c, ok := single.(*redis.Client)
	if !ok || where != "h1:6380" || c.Options().DB != 2 || c.Options().Password != "pw" || c.Options().PoolSize != 7 {
		t.Errorf("single: %T %q %+v", single, where, c.Options())
	}

	cl, where, err := newRedisClient("redis-cluster://u:pw@h1:1,h2:2,h3:3?dial_timeout=3s")
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	cc, ok := cl.(*redis.ClusterClient)
	if !ok {
		t.Fatalf("cluster: got %T", cl)
	}
	o := cc.Options()
	if !slices.Equal(o.Addrs, []string{"h1:1", "h2:2", "h3:3"}) || o.Username != "u" || o.Password != "pw" ||
		o.DialTimeout != 3*time.Second || o.PoolSize != redisPoolSize || where != "cluster h1:1,h2:2,h3:3" {
		t.Errorf("cluster: %q %+v", where, o)
	}

	fo, where, err := newRedisClient("rediss-sentinel://s1:26379,s2:26380/1?master_name=main&password=pw")
	if err != nil {
		t.Fatal(err)
	}
	defer fo.Close()
	if _, ok := fo.(*redis.Client); !ok || where != "sentinel main@s1:26379,s2:26380" {
		t.Errorf("sentinel: %T %q", fo, where)
	}

	for _, bad := range []string{
		"h1:6379",                                  // no scheme
		"http://h1:6379",                           // not Redis
		"redis-ring://h1:1",                        // not a form we offer
		"redis-sentinel://s1:26379",                // no master name
		"redis-cluster://h1:1,,h2:2",               // empty address
		"redis-cluster://h1:1?no_such_option=1",    // go-redis refuses unknown options
		"redis-sentinel://s1:1?master_name=m&db=x", // bad db
	} {
		if c, _, err := newRedisClient(bad); err == nil {
			c.Close()
			t.Errorf("%q accepted", bad)
		} else if !strings.HasPrefix(err.Error(), "commonpad: ") {
			t.Errorf("%q: error %q lacks the package prefix", bad, err)
		}
	}
}

// runOnRedis runs an instance on rawURL, edits a pad through it and
// returns once the edit is stored, checking /readyz on the way.
func runOnRedis(t *testing.T, rawURL string) (pad string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ready := make(chan string, 1)
	done := make(chan error, 1)
	var logs lockedWriter
	go func() {
		done <- run(ctx, []string{"--addr", "127.0.0.1:0", "--data", t.TempDir(), "--redis", rawURL}, envOf(nil), &logs, ready)
	}()
	var addr string
	select {
	case addr = <-ready:
	case err := <-done:
		t.Fatalf("run: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("not listening")
	}
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Error("shutdown did not finish")
		}
	}()
	resp, err := http.Get("http://" + addr + "/readyz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("/readyz = %s, want 200; log:\n%s", resp.Status, logs.String())
	}
	pad = uuid.NewString()
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+addr+"/ws/"+pad, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	doc := crdt.NewDoc(crdt.Options{})
	doc.Transact(func(tx *crdt.Txn) { _ = doc.Text("t").Insert(tx, 0, "kept", nil) })
	if err := ws.WriteMessage(websocket.BinaryMessage, protocol.EncodeSyncUpdate(doc.EncodeStateAsUpdate(nil))); err != nil {
		t.Fatal(err)
	}
	_ = ws.SetReadDeadline(time.Now().Add(5 * time.Second))
	for { // the echo means the update is stored
		_, b, err := ws.ReadMessage()
		if err != nil {
			t.Fatalf("waiting for the echo: %v; log:\n%s", err, logs.String())
		}
		if m, _ := protocol.ReadMessage(b); m.Type == protocol.MessageSync && m.SyncType == protocol.SyncUpdate {
			return pad
		}
	}
}

// checkStored reads pad back through a store of its own on client.
func checkStored(t *testing.T, client redis.UniversalClient, pad string) {
	t.Helper()
	defer client.Close()
	st, err := redisstore.New(client, redisstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.GetPad(t.Context(), pad); err != nil {
		t.Errorf("GetPad: %v", err)
	}
	snap, err := st.Load(t.Context(), pad)
	if err != nil {
		t.Fatal(err)
	}
	if snap.State == nil && len(snap.Records) == 0 {
		t.Error("the edit is not stored")
	}
}

func TestRunsOnRedisCluster(t *testing.T) {
	c := redistest.NeedCluster(t, 3)
	pad := runOnRedis(t, "redis-cluster://"+strings.Join(c.Addrs(), ","))
	cl, _, err := newRedisClient("redis-cluster://" + c.Addrs()[1])
	if err != nil {
		t.Fatal(err)
	}
	checkStored(t, cl, pad)
}

func TestRunsThroughSentinel(t *testing.T) {
	_, s := redistest.NeedSentinel(t, "main")
	pad := runOnRedis(t, "redis-sentinel://"+s.Addr+"?master_name=main")
	cl, _, err := newRedisClient("redis-sentinel://" + s.Addr + "?master_name=main")
	if err != nil {
		t.Fatal(err)
	}
	checkStored(t, cl, pad)
}
