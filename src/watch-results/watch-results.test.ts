import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/databases.ts';
import { openMigratedDatabase } from '../../test/support/migrated-database.ts';
import { latestWatchResult, latestWatchResults, recordWatchResult, watchResultsBetween } from './watch-results.ts';

describeEachDatabase('watch results', (database) => {
  it('keeps the newest result per watcher and finds results by period', async () => {
    const t = await openMigratedDatabase(database);
    try {
      const db = t.db;
      await recordWatchResult(db, { watcher: 'integrity', outcome: 'clean', summary: 'no change', at: new Date('2026-11-01T00:00:00Z') });
      await recordWatchResult(db, { watcher: 'integrity', outcome: 'findings', summary: '1 changed', details: { changed: ['src/a.ts'] }, at: new Date('2026-11-01T00:05:00Z') });
      await recordWatchResult(db, { watcher: 'pan-scan', outcome: 'clean', summary: 'none', at: new Date('2026-11-02T00:00:00Z') });
      expect(await latestWatchResult(db, 'integrity')).toMatchObject({ outcome: 'findings', details: { changed: ['src/a.ts'] } });
      expect(Object.keys(await latestWatchResults(db)).sort()).toEqual(['integrity', 'pan-scan']);
      expect(await latestWatchResult(db, 'malware-scan')).toBeUndefined();
      const inPeriod = await watchResultsBetween(db, 'integrity', new Date('2026-11-01T00:01:00Z'), new Date('2026-11-02T00:00:00Z'));
      expect(inPeriod.map((r) => r.summary)).toEqual(['1 changed']);
    } finally {
      await t.dispose();
    }
  });
});
