import { describe, expect, it } from 'vitest';
import { windowSettings } from '../../../shared/scan/doctor/sourceWindow';
import { POLLED_SOURCES } from '../../../shared/scan/polledSources';
import { loadSettings } from '../../../shared/settings/loadSettings';

describe('doctor over the opensearch source', () => {
  it('reads exactly the window asked for: no settle delay, no lateness widening', async () => {
    const settings = loadSettings({ OPENSEARCH_URL: 'https://127.0.0.1:9', OPENSEARCH_USERNAME: 'u', OPENSEARCH_PASSWORD: 'p' });
    const source = POLLED_SOURCES.opensearch.create({
      settings: windowSettings(settings, 6 * 3_600_000), credential: null as never, storageCredential: null as never,
      log: { info: () => {}, warn: () => {}, error: () => {} }, stateless: true,
    });
    // The window is decided before anything is asked of the service (the batches are lazy).
    const read = await source.read({ now: new Date('2026-12-02T12:00:00Z'), committed: null, log: { info: () => {}, warn: () => {}, error: () => {} } });
    expect(read.window).toEqual({ from: '2026-12-02T06:00:00.000Z', to: '2026-12-02T12:00:00.000Z' });
    expect(read.ordered).toBe(false);
    // The reader widens by OPENSEARCH_MAX_LATENESS below the window's start: none for doctor.
    expect(windowSettings(settings, 6 * 3_600_000).openSearchMaxLatenessMs).toBe(0);
  });
});
