.PHONY: bench-crdt

# Flags for tools/crdtbench, e.g. make bench-crdt CRDTBENCH_FLAGS="-trace seph-blog1 -runs 5".
CRDTBENCH_FLAGS ?=

# Our crdt against yjs on the editing traces in ../shared/traces (or $COMMONPAD_TRACES).
bench-crdt: node_modules
	go run ./tools/crdtbench $(CRDTBENCH_FLAGS)

# npm ci again whenever the lock file changes.
node_modules: package-lock.json package.json
	npm ci
	touch node_modules

.PHONY: test
# The README's test command: what CI runs.
test: node_modules
	go vet ./...
	go test -race ./...

.PHONY: static
# Rebuild the web client bundle in static/dist (committed; the tests check it is reproducible).
static: node_modules
	node static/build.mjs

.PHONY: bench-server
# Flags for tools/serverbench, e.g. make bench-server SERVERBENCH_FLAGS="-duration 5s -servers commonpad,ywebsocket".
SERVERBENCH_FLAGS ?=

# The commonpad sync server against @y/websocket-server and Hocuspocus under the same load.
bench-server: node_modules
	go run ./tools/serverbench $(SERVERBENCH_FLAGS)
