#!/usr/bin/env node
// Starts dynalite (DynamoDB) or kinesis-local (Kinesis) from this project's node_modules, on 127.0.0.1.
//
//   node tools/local-aws.js dynalite|kinesis-local [--port N] [--tlsPort N] [--path DIR] [--shardLimit N]
//                           [--exitWithStdin]
//
// --port 0 (the default) picks a free port. Once listening it prints one line: "listening <port>", or for
// kinesis-local "listening <port> <tlsPort>": kinesis-local also serves HTTPS with HTTP/2 (ALPN) on a second port,
// with a self-signed certificate, for SubscribeToShard. --path DIR keeps the data on disk, so that a restart keeps
// it. With --exitWithStdin the server stops when its standard input closes, so that it never outlives the test JVM
// that started it.
'use strict'

const path = require('path')

// kinesis-local replaces process.exit with one that does not end the process: every way out below uses Node's own,
// taken before kinesis-local loads. (With its replacement, the server outlived its test JVM, busy at half a core,
// and a SIGTERM waited out LocalAwsServer's 10 s before the SIGKILL.)
const exit = process.exit.bind(process)

const [kind, ...rest] = process.argv.slice(2)
if (kind !== 'dynalite' && kind !== 'kinesis-local') {
  console.error('usage: local-aws.js dynalite|kinesis-local [--port N] [--tlsPort N] [--path DIR] '
    + '[--shardLimit N] [--exitWithStdin]')
  exit(2)
}

const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }
let port = 0
let tlsPort = 0
let exitWithStdin = false
for (let i = 0; i < rest.length; i++) {
  const name = rest[i].replace(/^--/, '')
  if (name === 'exitWithStdin') { exitWithStdin = true; continue }
  const value = rest[++i]
  if (value === undefined) { console.error('missing value for --' + name); exit(2) }
  if (name === 'port') port = Number(value)
  else if (name === 'tlsPort') tlsPort = Number(value)
  else options[name] = /^\d+$/.test(value) ? Number(value) : value
}

// dynalite throws from a request's 'error' handler when a client drops a connection mid-request (a timeout, a
// stopped thread): ECONNRESET; a subscription's stream written after its client left fails alike. That must not
// bring the server down, since tests drop connections on purpose.
const dropped = ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_WRITE_AFTER_END', 'ERR_STREAM_DESTROYED']
process.on('uncaughtException', (error) => {
  if (error && (dropped.includes(error.code) || error.message === 'aborted')) {
    console.error(kind + ': a client dropped its connection (' + error.message + ')')
    return
  }
  console.error(kind + ': ' + (error && error.stack ? error.stack : error))
  // kinesis-local's own failures are a request's, never the server's: it goes on serving the others
  if (kind !== 'kinesis-local') exit(1)
})
process.on('unhandledRejection', (reason) => {
  console.error(kind + ': unhandled rejection: ' + (reason && reason.stack ? reason.stack : reason))
})

let stop
let stopping = false
if (kind === 'kinesis-local') {
  stop = startKinesisLocal()
} else {
  const factory = require(path.join(__dirname, '..', 'node_modules', kind))
  const server = factory(options).listen(port, '127.0.0.1', () => {
    console.log('listening ' + server.address().port)
  })
  server.on('error', (error) => { console.error(kind + ': ' + error.message); exit(1) })
  stop = () => server.close(() => exit(0))
}

// kinesis-local is configured by environment variables and does not print the ports it bound, so its two
// servers are seen binding, then told apart by a TLS handshake.
function startKinesisLocal () {
  const net = require('net')
  const tls = require('tls')
  const home = path.join(__dirname, '..', 'node_modules', 'kinesis-local')
  const durations = ['CREATE_STREAM', 'DELETE_STREAM', 'REGISTER_STREAM_CONSUMER', 'DEREGISTER_STREAM_CONSUMER',
    'START_STREAM_ENCRYPTION', 'STOP_STREAM_ENCRYPTION', 'MERGE_SHARDS', 'SPLIT_SHARD', 'UPDATE_SHARD_COUNT',
    'UPDATE_STREAM_MODE']
  for (const name of durations) process.env[name + '_DURATION'] = process.env[name + '_DURATION'] || '1ms'
  process.env.KINESIS_MOCK_CERT_PATH = path.join(home, 'server.json')
  process.env.KINESIS_MOCK_PLAIN_PORT = String(port)
  process.env.KINESIS_MOCK_TLS_PORT = String(tlsPort)
  process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'WARN'
  if (options.shardLimit) process.env.SHARD_LIMIT = String(options.shardLimit)
  if (options.path) {
    process.env.SHOULD_PERSIST_DATA = 'true'
    process.env.PERSIST_PATH = options.path
    process.env.PERSIST_INTERVAL = '100ms'
  }
  const servers = []
  const listen = net.Server.prototype.listen
  net.Server.prototype.listen = function (...args) {
    this.once('listening', () => {
      servers.push(this)
      if (servers.length === 2) identify(servers)
    })
    return listen.apply(this, args)
  }
  const identify = async (bound) => {
    const ports = bound.map((server) => server.address().port)
    const speaksTls = await Promise.all(ports.map((candidate) => new Promise((resolve) => {
      const socket = tls.connect({ host: '127.0.0.1', port: candidate, rejectUnauthorized: false, ALPNProtocols: ['h2'] },
        () => { socket.destroy(); resolve(true) })
      socket.setTimeout(5000, () => { socket.destroy(); resolve(false) })
      socket.on('error', () => resolve(false))
    })))
    const plain = ports[speaksTls.indexOf(false)]
    const secure = ports[speaksTls.indexOf(true)]
    if (plain === undefined || secure === undefined) {
      console.error('kinesis-local: cannot tell its plain port from its TLS port among ' + ports)
      exit(1)
    }
    console.log('listening ' + plain + ' ' + secure)
    // kinesis-local's runtime closes its servers when it shuts itself down, and may then never exit: say so, and
    // exit, so that the test JVM sees the server gone instead of refused connections from a process still running.
    for (const server of bound) {
      const closedPort = server.address().port
      server.on('close', () => {
        if (!stopping) {
          console.error('kinesis-local closed its server on port ' + closedPort + ' by itself: exiting')
          exit(1)
        }
      })
    }
  }
  require(path.join(home, 'main.js'))
  return () => {
    stopping = true
    for (const server of servers) server.close()
    setTimeout(() => exit(0), 200)
  }
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
if (exitWithStdin) {
  process.stdin.on('end', () => exit(0))
  process.stdin.on('close', () => exit(0))
  process.stdin.resume()
}
