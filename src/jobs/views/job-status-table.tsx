// The job status table for the back-office status page: every job with its schedule, last run,
// next run and last error (a message only: job_runs never holds a stack).
import { formatDateTime, type Locale } from '../../i18n/locale.ts';
import type { JobStatus } from '../job-runs.ts';
import { JOB_STATUS_MESSAGES, type JobStatusMessages } from './job-messages.ts';

export function JobStatusTable({ jobs, locale, timeZone, messages }: { jobs: JobStatus[]; locale: Locale; timeZone: string; messages?: JobStatusMessages }) {
  const m = messages ?? JOB_STATUS_MESSAGES[locale];
  if (jobs.length === 0) return <p>{m.noJobs}</p>;
  const when = (iso: string | null) => (iso ? <time datetime={iso}>{formatDateTime(iso, locale, timeZone)}</time> : m.never);
  return (
    <table class="cart-table job-status-table">
      <caption>{m.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{m.job}</th><th scope="col">{m.schedule}</th><th scope="col">{m.lastRun}</th>
          <th scope="col">{m.outcome}</th><th scope="col">{m.nextRun}</th><th scope="col">{m.lastError}</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr data-job={j.name} data-outcome={j.lastRun?.outcome ?? 'never'}>
            <th scope="row"><code>{j.name}</code></th>
            <td><code>{j.schedule}</code></td>
            <td>{j.lastRun ? when(j.lastRun.startedAt) : m.never}</td>
            <td>{j.lastRun ? m.outcomes[j.lastRun.outcome] : '—'}</td>
            <td>{j.nextRunAt ? when(j.nextRunAt) : '—'}</td>
            <td>{j.lastError ? <>{when(j.lastError.at)} <small>{`${m.outcomes[j.lastError.outcome]}: ${j.lastError.error ?? ''}`}</small></> : m.none}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
