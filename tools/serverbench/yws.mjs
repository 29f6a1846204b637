// The reference y-websocket server (@y/websocket-server), bound to loopback on
// the port given as the only argument, without persistence so it is measured
// as a pure relay like its peers.
import http from 'node:http'
import { WebSocketServer } from 'ws'
import { setupWSConnection } from '@y/websocket-server/utils'

const port = Number(process.argv[2])
if (!Number.isInteger(port) || port <= 0) {
  console.error('serverbench: usage: node yws.mjs <port>')
  process.exit(2)
}
const wss = new WebSocketServer({ noServer: true })
wss.on('connection', setupWSConnection)
const server = http.createServer((_, res) => { res.writeHead(200); res.end('ok') })
server.on('upgrade', (req, socket, head) => {
  wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
})
server.listen(port, '127.0.0.1')
