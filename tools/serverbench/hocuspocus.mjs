// A Hocuspocus server with no extensions, bound to loopback on the port given
// as the only argument: the same "relay and keep in memory" role as its peers.
import { Server } from '@hocuspocus/server'

const port = Number(process.argv[2])
if (!Number.isInteger(port) || port <= 0) {
  console.error('serverbench: usage: node hocuspocus.mjs <port>')
  process.exit(2)
}
const server = new Server({ port, address: '127.0.0.1', quiet: true })
await server.listen()
