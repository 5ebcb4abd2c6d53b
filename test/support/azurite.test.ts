import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startAzuriteBlob, startAzuriteTable } from './azurite';

const accepts = (port: number) => new Promise<boolean>((resolve) => {
  const socket = connect({ host: '127.0.0.1', port });
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

describe('startAzuriteTable', () => {
  it('listens on its own port and is gone after stop', async () => {
    const [a, b] = await Promise.all([startAzuriteTable(), startAzuriteTable()]);
    expect(a.port).not.toBe(b.port);
    expect(a.connectionString).toBe(`DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${a.connectionString.match(/AccountKey=([^;]+)/)![1]};TableEndpoint=http://127.0.0.1:${a.port}/devstoreaccount1;`);
    expect(await accepts(a.port)).toBe(true);
    await Promise.all([a.stop(), b.stop()]);
    await a.stop(); // twice is fine
    expect(await accepts(a.port)).toBe(false);
    expect(await accepts(b.port)).toBe(false);
  });

  it('starts the blob service the same way, with a BlobEndpoint connection string', async () => {
    const blob = await startAzuriteBlob();
    expect(blob.connectionString).toMatch(new RegExp(`;BlobEndpoint=http://127\\.0\\.0\\.1:${blob.port}/devstoreaccount1;$`));
    expect(await accepts(blob.port)).toBe(true);
    await blob.stop();
    expect(await accepts(blob.port)).toBe(false);
  });
});
