package redistest

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strconv"
	"strings"
	"time"
)

// clusterTimeout bounds how long StartCluster waits for the nodes to
// agree on the slot map after redis-cli has assigned it.
const clusterTimeout = 20 * time.Second

// Cluster is a running Redis Cluster of masters without replicas, started
// by StartCluster.
type Cluster struct {
	// Nodes are the masters, each a redis-server of its own.
	Nodes []*Server
}

// Addrs returns the nodes' addresses, the seed list of a cluster client.
func (c *Cluster) Addrs() []string {
	addrs := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		addrs[i] = n.Addr
	}
	return addrs
}

// StartCluster launches masters cluster-enabled redis-servers, splits the
// slots between them with redis-cli --cluster create, and returns once
// every node reports cluster_state:ok. The caller must call Stop.
func StartCluster(ctx context.Context, masters int) (*Cluster, error) {
	if masters < 1 {
		return nil, fmt.Errorf("redistest: a cluster needs a master, not %d", masters)
	}
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		return nil, ErrNotInstalled
	}
	c := &Cluster{}
	for range masters {
		n, err := launch(ctx, clusterArgs)
		if err != nil {
			_ = c.Stop()
			return nil, err
		}
		c.Nodes = append(c.Nodes, n)
	}
	create := append([]string{"--cluster", "create"}, c.Addrs()...)
	create = append(create, "--cluster-replicas", "0", "--cluster-yes")
	if out, err := exec.CommandContext(ctx, cli, create...).CombinedOutput(); err != nil {
		_ = c.Stop()
		return nil, fmt.Errorf("redistest: redis-cli --cluster create: %w: %s", err, out)
	}
	if err := c.waitOK(ctx, cli); err != nil {
		_ = c.Stop()
		return nil, err
	}
	return c, nil
}

// clusterArgs gives a cluster node its bus port explicitly: the default,
// port+10000, falls outside the port range for half the ephemeral ports.
func clusterArgs(port int, dir string) ([]string, error) {
	bus, err := freePort()
	if err != nil {
		return nil, err
	}
	return []string{
		"--port", strconv.Itoa(port),
		"--cluster-port", strconv.Itoa(bus),
		"--bind", "127.0.0.1",
		"--protected-mode", "yes",
		"--dir", dir,
		"--save", "",
		"--appendonly", "no",
		"--daemonize", "no",
		"--logfile", "",
		"--cluster-enabled", "yes",
		"--cluster-config-file", "nodes.conf",
		"--cluster-node-timeout", "5000",
	}, nil
}

// waitOK polls CLUSTER INFO on every node: redis-cli returns once it has
// assigned the slots, before the nodes have gossiped the map to each other.
func (c *Cluster) waitOK(ctx context.Context, cli string) error {
	ctx, cancel := context.WithTimeout(ctx, clusterTimeout)
	defer cancel()
	for _, n := range c.Nodes {
		host, port, _ := strings.Cut(n.Addr, ":")
		for {
			out, err := exec.CommandContext(ctx, cli, "-h", host, "-p", port, "cluster", "info").Output()
			if err == nil && strings.Contains(string(out), "cluster_state:ok") {
				break
			}
			select {
			case <-ctx.Done():
				return fmt.Errorf("redistest: cluster node %s not ok: %w: %s", n.Addr, ctx.Err(), out)
			case <-time.After(20 * time.Millisecond):
			}
		}
	}
	return nil
}

// Stop stops every node by its PID and removes their directories. It is
// safe to call more than once.
func (c *Cluster) Stop() error {
	var errs []error
	for _, n := range c.Nodes {
		errs = append(errs, n.Stop())
	}
	return errors.Join(errs...)
}
