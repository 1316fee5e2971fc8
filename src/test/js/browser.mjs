// Drives Debian's Chromium for dev.gatehouse.admin.BrowserThroughPacTest. Prints one JSON object on stdout.
//   node browser.mjs browse <pacUrl> <pageUrl> <blockedUrl> <userDataDir> <netlog.json> [chromium flag...]  -> {status, title, heading, via, blockedStatus, blockedText}
//   node browser.mjs dashboard <dashboardUrl> <userDataDir> <screenshot.png> -> {figures: {data-stat: text}, clients: [[name, count]], ...}
// Chromium is started headless with a fresh user-data-dir and only the PAC URL as proxy configuration.
import { chromium } from 'playwright-core';

const CHROMIUM = process.env.GATEHOUSE_CHROMIUM || '/usr/bin/chromium';
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic',
  // Chromium would otherwise try https:// first for a typed http:// URL (a CONNECT to port 443 in the audit log).
  '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable'];

async function launch(userDataDir, extra) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM, headless: true, args: [...FLAGS, ...extra], timeout: 30000,
    viewport: { width: 1400, height: 1000 },
  });
}

async function browse(pacUrl, pageUrl, blockedUrl, userDataDir, netlog, ...flags) {
  const context = await launch(userDataDir, ['--proxy-pac-url=' + pacUrl, '--log-net-log=' + netlog, ...flags]);
  try {
    const page = context.pages()[0] || await context.newPage();
    const response = await page.goto(pageUrl, { waitUntil: 'load', timeout: 20000 });
    const result = { status: response.status(), title: await page.title(), heading: await page.textContent('#greeting'),
                     via: (await response.allHeaders())['via'] || null };
    const blocked = await page.goto(blockedUrl, { waitUntil: 'load', timeout: 20000 });
    result.blockedStatus = blocked.status();
    result.blockedText = (await page.textContent('body')).replace(/\s+/g, ' ').trim();
    return result;
  } finally {
    await context.close();
  }
}

async function dashboard(url, userDataDir, screenshot) {
  const context = await launch(userDataDir, []);
  try {
    const page = context.pages()[0] || await context.newPage();
    await page.goto(url, { waitUntil: 'load', timeout: 20000 });
    await page.waitForSelector('body[data-rendered]', { timeout: 15000 });
    const figures = await page.$$eval('[data-stat]', els => Object.fromEntries(els.map(e => [e.getAttribute('data-stat'), e.textContent.trim()])));
    const clients = await page.$$eval('#top-clients tr[data-row]', rows => rows.map(r =>
      [r.querySelector('[data-cell=name]').textContent, r.querySelector('[data-cell=count]').textContent]));
    const categories = await page.$$eval('#top-categories tr[data-row]', rows => rows.map(r =>
      [r.querySelector('[data-cell=name]').textContent, r.querySelector('[data-cell=count]').textContent]));
    const charts = await page.$$eval('svg.chart', svgs => svgs.map(s => s.querySelectorAll('path').length));
    if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
    return { figures, clients, categories, charts };
  } finally {
    await context.close();
  }
}

const [mode, ...args] = process.argv.slice(2);
try {
  const result = mode === 'browse' ? await browse(...args) : await dashboard(...args);
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (e) {
  process.stderr.write('browser.mjs ' + mode + ' failed: ' + (e && e.stack || e) + '\n');
  process.exit(1);
}
