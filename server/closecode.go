package server

// Close codes sent to WebSocket clients. Codes in 4400-4499 make
// y-websocket 3.1 stop reconnecting, so they are kept for refusals that a
// retry cannot fix.
const (
	closeNormal       = 1000
	closeGoingAway    = 1001 // server shutdown
	closeUnsupported  = 1003 // a text frame
	closeInvalidData  = 1007 // an undecodable update or awareness message
	closeTooBig       = 1009 // over MaxMessageBytes (sent by the websocket library)
	closeInternal     = 1011 // the pad could not be loaded or stored
	closeTryLater     = 1013 // MaxConnsPerPad reached
	closeSlowConsumer = 4008 // send queue over MaxQueueBytes; the client resyncs on reconnect
	closeRateLimited  = 4029 // over UpdatesPerSecond
	closeNotFound     = 4404 // unknown pad with NoAutoCreate
	closePadTooLarge  = 4413 // the update would take the pad past MaxPadBytes
)
