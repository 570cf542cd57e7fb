#!/usr/bin/env node
// Loads the sample's lease dashboard in headless Chromium, checks that the shards and owners it shows are the
// ones /actuator/leases reports, that each shard this consumer reads shows its lag and a records/s chart, and
// saves a screenshot.
//
//   node tools/dashboard-check.js http://127.0.0.1:8081/ screenshot.png
//
// Exits 0 when they match; prints what differs and exits 1 when they do not after a few tries.
'use strict'

const { chromium } = require('playwright-core')

const [url, screenshot] = process.argv.slice(2)
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

function compare (shown, reported) {
  const shards = new Set([...Object.keys(shown), ...Object.keys(reported)])
  const differences = [...shards].filter(s => shown[s] !== reported[s]).map(s => `${s}: shown ${shown[s]}, reported ${reported[s]}`)
  return differences.join('; ')
}

main().catch(error => { console.error(error.stack || error); process.exit(1) })
