#!/usr/bin/env node
// Loads the sample's lease dashboard in headless Chromium, checks that the shards and owners it shows are the
// ones /actuator/leases reports, that each shard this consumer reads shows its lag and a records/s chart, and
// saves a screenshot.
//
//   node tools/dashboard-check.js http://127.0.0.1:8081/ screenshot.png [--reset trim-horizon]
//
// With --reset, it then uses the replay button: a dismissed confirmation must write nothing; an accepted one must
// reset every lease, as the endpoint's answer on the page says.
//
// Exits 0 when they match; prints what differs and exits 1 when they do not after a few tries.
'use strict'

const { chromium } = require('playwright-core')

const [url, screenshot, resetFlag, resetPosition] = process.argv.slice(2)
if (!url || !screenshot) {
  console.error('usage: dashboard-check.js URL SCREENSHOT.png')
  process.exit(2)
}

async function main () {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync']
  })
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 700 } })
    await page.goto(url)
    await page.waitForSelector('body[data-loaded="true"] .tile', { timeout: 15000 })
    let difference = ''
    for (let attempt = 1; attempt <= 5; attempt++) {
      const shown = await page.$$eval('.tile', tiles => Object.fromEntries(tiles.map(t => [t.dataset.shard, t.dataset.owner])))
      const charted = await page.$$eval('.tile', tiles => tiles.filter(t => t.querySelector('.progress polyline'))
        .map(t => t.dataset.shard).sort())
      const leases = await page.evaluate(async () => (await (await fetch('actuator/leases', { cache: 'no-store' })).json()).leases)
      const reported = Object.fromEntries(leases.map(l => [l.shardId, l.owner || '']))
      const read = leases.filter(l => l.progress).map(l => l.shardId).sort()
      difference = compare(shown, reported)
      if (!difference && charted.join() !== read.join()) {
        difference = `lag and rate shown for [${charted}], but this consumer reads [${read}]`
      }
      const chartPoints = await page.$eval('#rateChart polyline', line => line.getAttribute('points').trim().split(/\s+/).filter(p => p).length)
      if (!difference && chartPoints < 3) {
        difference = `the records/s chart has ${chartPoints} points, not yet 3`
      }
      if (!difference) {
        await page.screenshot({ path: screenshot, fullPage: true })
        console.log('dashboard shows ' + Object.keys(shown).length + ' shards, owners as /actuator/leases reports, ' +
          'lag and records/s of the ' + read.length + ' this consumer reads')
        if (resetFlag === '--reset') {
          await replay(page, resetPosition)
        }
        return
      }
      await page.waitForTimeout(1200) // the page refreshes once a second
    }
    console.error('the dashboard does not match /actuator/leases: ' + difference)
    process.exitCode = 1
  } finally {
    await browser.close()
  }
}

async function replay (page, position) {
  const leases = async () => page.evaluate(async () => (await (await fetch('actuator/leases', { cache: 'no-store' })).json()).leases)
  const before = await leases()
  await page.selectOption('#resetPosition', position)
  page.once('dialog', dialog => dialog.dismiss())
  await page.click('#resetButton')
  await page.waitForFunction(() => document.getElementById('resetResult').textContent === 'not reset')
  const untouched = await leases()
  if (untouched.some(lease => lease.reset)) {
    throw new Error('a dismissed confirmation wrote a reset')
  }
  let asked = ''
  page.once('dialog', dialog => { asked = dialog.message(); dialog.accept() })
  await page.click('#resetButton')
  await page.waitForFunction(() => document.getElementById('resetResult').dataset.status, null, { timeout: 10000 })
  const answer = await page.$eval('#resetResult', node => [node.dataset.status, node.textContent])
  if (answer[0] !== '200') {
    throw new Error('the reset answered ' + answer[0] + ': ' + answer[1])
  }
  // Every lease reset, as the endpoint answered; whether the consumers then replay is for the caller to see.
  if (!answer[1].startsWith(before.length + ' shards reset')) {
    throw new Error('expected all ' + before.length + ' leases reset, the endpoint answered: ' + answer[1])
  }
  console.log('replay button: asked "' + asked.split('\n')[0] + '", then ' + answer[1])
}

function compare (shown, reported) {
  const shards = new Set([...Object.keys(shown), ...Object.keys(reported)])
  const differences = [...shards].filter(s => shown[s] !== reported[s]).map(s => `${s}: shown ${shown[s]}, reported ${reported[s]}`)
  return differences.join('; ')
}

main().catch(error => { console.error(error.stack || error); process.exit(1) })
