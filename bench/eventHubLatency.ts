import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryStateStore } from '../shared/dedupe/MemoryStateStore';
import { createNotifiers } from '../shared/notify/createNotifiers';
import { loadRules } from '../shared/rules/loadRules';
import { SessionWaitMemory } from '../shared/scan/awaitInFlightSessions';
import { runEventHubBatch, type EventHubPipeline } from '../shared/scan/runEventHubBatch';
import { loadSettings } from '../shared/settings/loadSettings';
import { eventHubBatch } from '../shared/source/eventHubs/EventHubBatch';
import { silentLogger } from '../shared/util/Logger';

export interface EventHubBenchResult {
  records: number;
  /** Batch handed to the handler → first Slack request received by the local stand-in, median. */
  latencyMs: number;
  /** The same Slack request posted alone (a bare fetch to the stand-in), median: the floor of the latency. */
  floorMs: number;
  /** Records per second through the whole pipeline, one instance, batches one after another (every batch alerts). */
  recordsPerSecond: number;
  /** The same batches delivered again (all alerts already in the ledger): the steady cost of reading. */
  redeliveredRecordsPerSecond: number;
  /** Records per second of the floor: decode the bodies and find "AUDIT:" in each message. */
  floorRecordsPerSecond: number;
}

const FIXTURE = join('test', 'fixtures', 'pg15', 'azure', 'azure-blob.PT1H.json');

/**
 * Our own added latency for the Event Hubs trigger: from a 100-record batch being handed over (the bodies
 * as the host gives them, binary) to the Slack request arriving at a local Slack stand-in, through decode
 * → merge → sessions → match → ledger → deliver, with the in-memory state store (Table Storage round
 * trips in Azure come on top: a few ms each, one claim and one mark per alert). Every run uses a new server
 * name so its alerts are new. Throughput runs batches back to back on one instance.
 */
export async function runEventHubBench(runs = 31, throughputBatches = 60): Promise<EventHubBenchResult> {
  let arrived: (() => void) | null = null;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.url?.endsWith('chat.postMessage')) arrived?.();
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ ok: true, channel: 'C0BENCH', ts: '1700000000.000100' }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  try {
    const settings = loadSettings({ SLACK_BOT_TOKEN: 'xoxb-bench', SLACK_CHANNEL: '#bench', SLACK_API_URL: apiUrl });
    const ruleSet = await loadRules(settings.rulesPath, process.cwd());
    const pipeline: EventHubPipeline = {
      settings, ruleSet: async () => ruleSet, store: new MemoryStateStore(), now: () => new Date(),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)), sessionWaits: new SessionWaitMemory(),
      notifiersFor: (destinations) => createNotifiers(settings, [...destinations], { log: silentLogger }),
    };
    const records = readFileSync(FIXTURE, 'utf8').split('\n').filter(Boolean);
    // The fixture's first 100 records after the server start: connection lines and statements that alert.
    const window = records.slice(records.findIndex((l) => l.includes('connection received')), undefined).slice(0, 100);
    const bodies = (serverName: string): Buffer[] => {
      const renamed = window.map((l) => l.replace(/FLEXIBLESERVERS\/[^"]+"/, `FLEXIBLESERVERS/${serverName}"`));
      const out: Buffer[] = [];
      for (let i = 0; i < renamed.length; i += 10) out.push(Buffer.from(`{"records":[${renamed.slice(i, i + 10).join(',')}]}`));
      return out;
    };
    const metadata = { partitionContext: { eventHubName: 'bench', partitionId: '0' } };
    const handle = async (b: Buffer[]) => runEventHubBatch(eventHubBatch(b, metadata), pipeline, silentLogger);

    const latencies: number[] = [];
    const floors: number[] = [];
    for (let i = 0; i < runs; i++) {
      const input = bodies(`PG-BENCH-${i}`);
      const started = process.hrtime.bigint();
      const first = new Promise<number>((r) => (arrived = () => r(Number(process.hrtime.bigint() - started) / 1e6)));
      const report = await handle(input);
      if (report.delivered === 0) throw new Error('the bench batch raised no alert: pick another window of the fixture');
      latencies.push(await first);
      const floorStart = process.hrtime.bigint();
      await fetch(`${apiUrl}chat.postMessage`, { method: 'POST', headers: { authorization: 'Bearer xoxb-bench' }, body: new URLSearchParams({ channel: '#bench', text: 'x'.repeat(2000) }) }).then((r) => r.text());
      floors.push(Number(process.hrtime.bigint() - floorStart) / 1e6);
    }
    arrived = null;

    const batches = Array.from({ length: throughputBatches }, (_, i) => bodies(`PG-THROUGHPUT-${i}`));
    let started = process.hrtime.bigint();
    for (const b of batches) await handle(b);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    started = process.hrtime.bigint();
    for (const b of batches) await handle(b);
    const redeliveredSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    started = process.hrtime.bigint();
    let found = 0;
    for (const b of batches) {
      for (const body of b) for (const r of (JSON.parse(body.toString('utf8')) as { records: { properties: { message: string } }[] }).records) if (r.properties.message.includes('AUDIT:')) found++;
    }
    const floorSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (found === 0) throw new Error('no AUDIT record in the bench batches');
    const total = throughputBatches * window.length;
    return { records: window.length, latencyMs: median(latencies), floorMs: median(floors), recordsPerSecond: total / seconds, redeliveredRecordsPerSecond: total / redeliveredSeconds, floorRecordsPerSecond: total / floorSeconds };
  } finally {
    await new Promise((r) => server.close(r));
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
