#!/usr/bin/env node
// Starts dynalite (DynamoDB) or kinesalite (Kinesis) from this project's node_modules, on 127.0.0.1.
//
//   node tools/local-aws.js dynalite|kinesalite [--port N] [--path DIR] [--shardLimit N] [--exitWithStdin]
//
// --port 0 (the default) picks a free port. Once listening it prints one line: "listening <port>".
// --path DIR keeps the data on disk, so that a restart keeps it. With --exitWithStdin the server stops when
// its standard input closes, so that it never outlives the test JVM that started it.
'use strict'

const path = require('path')

const [kind, ...rest] = process.argv.slice(2)
if (kind !== 'dynalite' && kind !== 'kinesalite') {
  console.error('usage: local-aws.js dynalite|kinesalite [--port N] [--path DIR] [--shardLimit N] [--exitWithStdin]')
  process.exit(2)
}

const options = { createTableMs: 0, deleteTableMs: 0, updateTableMs: 0, createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0 }
let port = 0
let exitWithStdin = false
for (let i = 0; i < rest.length; i++) {
  const name = rest[i].replace(/^--/, '')
  if (name === 'exitWithStdin') { exitWithStdin = true; continue }
  const value = rest[++i]
  if (value === undefined) { console.error('missing value for --' + name); process.exit(2) }
  if (name === 'port') port = Number(value)
  else options[name] = /^\d+$/.test(value) ? Number(value) : value
}

// dynalite throws from a request's 'error' handler when a client drops a connection mid-request (a timeout, a
// stopped thread): ECONNRESET. That must not bring the server down, since tests drop connections on purpose.
process.on('uncaughtException', (error) => {
  if (error && (error.code === 'ECONNRESET' || error.message === 'aborted')) {
    console.error(kind + ': a client dropped its connection (' + error.message + ')')
    return
  }
  console.error(kind + ': ' + (error && error.stack ? error.stack : error))
  process.exit(1)
})

const factory = require(path.join(__dirname, '..', 'node_modules', kind))
const server = factory(options).listen(port, '127.0.0.1', () => {
  console.log('listening ' + server.address().port)
})
server.on('error', (error) => { console.error(kind + ': ' + error.message); process.exit(1) })

const stop = () => server.close(() => process.exit(0))
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
if (exitWithStdin) {
  process.stdin.on('end', () => process.exit(0))
  process.stdin.on('close', () => process.exit(0))
  process.stdin.resume()
}
