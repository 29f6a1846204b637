package crdt

// ID names one clock unit of one client: the unit at Clock in the history of Client.
// Every struct covers the IDs from its own ID to ID{Client, Clock+length-1}.
type ID struct {
	Client uint64
	Clock  uint64
}

// maxClock bounds clocks and lengths on the wire: JavaScript peers hold them in
// float64, so anything above 2^53-1 could not be represented by them.
const maxClock = 1<<53 - 1
