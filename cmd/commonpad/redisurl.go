package main

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/redis/go-redis/v9"
	"github.com/redis/go-redis/v9/maintnotifications"
)

// redisURLForms is the --redis help text for the URL forms newRedisClient
// accepts.
const redisURLForms = "Redis URL; stores pads in Redis so several instances can serve them, instead of the embedded file; REDIS_URL works too. Forms:" +
	"\n    \t  redis://[user:password@]host:port[/db][?option=value...]" +
	"\n    \t      one server (rediss:// for TLS)" +
	"\n    \t  redis-sentinel://[user:password@]host:port[,host:port...][/db]?master_name=NAME[&password=P...]" +
	"\n    \t      the primary that the Sentinels call NAME (rediss-sentinel:// for TLS); the user info" +
	"\n    \t      authenticates to the Sentinels, the username and password parameters to the primary" +
	"\n    \t  redis-cluster://[user:password@]host:port[,host:port...][?option=value...]" +
	"\n    \t      a Redis Cluster, from any of its nodes (rediss-cluster:// for TLS)" +
	"\n    \toptions are go-redis's in snake case, e.g. pool_size=2000&dial_timeout=3s"

// newRedisClient builds the client that rawURL describes; it does not
// connect. The returned description names the servers for the logs,
// without credentials.
func newRedisClient(rawURL string) (redis.UniversalClient, string, error) {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, "", errors.New("commonpad: --redis: not a URL (want redis://host:port, see --help)")
	}
	base, kind, _ := strings.Cut(strings.ToLower(scheme), "-")
	if base != "redis" && base != "rediss" {
		return nil, "", fmt.Errorf("commonpad: --redis: unknown scheme %q (want redis, redis-sentinel or redis-cluster)", scheme)
	}
	// Redis before 8 and Valkey lack maintenance notifications; go-redis's
	// automatic mode then races with concurrent dials (see redisstore).
	maint := &maintnotifications.Config{Mode: maintnotifications.ModeDisabled}
	switch kind {
	case "":
		opts, err := redis.ParseURL(rawURL)
		if err != nil {
			return nil, "", fmt.Errorf("commonpad: --redis: %w", err)
		}
		if opts.PoolSize == 0 {
			opts.PoolSize = redisServerPoolSize
		}
		opts.MaintNotificationsConfig = maint
		return redis.NewClient(opts), opts.Addr, nil
	case "cluster":
		u, hosts, err := oneHostURL(base, rest)
		if err != nil {
			return nil, "", err
		}
		opts, err := redis.ParseClusterURL(u)
		if err != nil {
			return nil, "", fmt.Errorf("commonpad: --redis: %w", err)
		}
		if opts.PoolSize == 0 {
			opts.PoolSize = redisPoolSize // per node: each holds a follower connection per slot with open pads
		}
		opts.MaintNotificationsConfig = maint
		return redis.NewClusterClient(opts), "cluster " + hosts, nil
	case "sentinel":
		u, hosts, err := oneHostURL(base, rest)
		if err != nil {
			return nil, "", err
		}
		opts, err := redis.ParseFailoverURL(u)
		if err != nil {
			return nil, "", fmt.Errorf("commonpad: --redis: %w", err)
		}
		if opts.MasterName == "" {
			return nil, "", errors.New("commonpad: --redis: a redis-sentinel URL needs ?master_name=NAME")
		}
		if opts.PoolSize == 0 {
			opts.PoolSize = redisServerPoolSize
		}
		// Failover clients keep maintenance notifications off themselves.
		return redis.NewFailoverClient(opts), "sentinel " + opts.MasterName + "@" + hosts, nil
	default:
		return nil, "", fmt.Errorf("commonpad: --redis: unknown scheme %q (want redis, redis-sentinel or redis-cluster)", scheme)
	}
}

// oneHostURL rewrites a URL whose authority lists several host:port,
// separated by commas, into the form go-redis parses: the first host in
// the authority and the others as addr parameters. It returns the
// rewritten URL and the hosts as given.
func oneHostURL(scheme, rest string) (string, string, error) {
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	authority, tail := rest[:end], rest[end:]
	userinfo, hostList := "", authority
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		userinfo, hostList = authority[:at+1], authority[at+1:]
	}
	hosts := strings.Split(hostList, ",")
	for _, h := range hosts {
		if h == "" {
			return "", "", fmt.Errorf("commonpad: --redis: empty address in %q", hostList)
		}
	}
	u, err := url.Parse(scheme + "://" + userinfo + hosts[0] + tail)
	if err != nil {
		return "", "", fmt.Errorf("commonpad: --redis: %w", err)
	}
	q := u.Query()
	for _, h := range hosts[1:] {
		q.Add("addr", h)
	}
	u.RawQuery = q.Encode()
	return u.String(), hostList, nil
}
