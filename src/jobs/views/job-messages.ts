// Labels of the job status table, in both languages (the back office passes its locale).
import type { Locale } from '../../i18n/locale.ts';
import type { JobOutcome } from '../job-runs.ts';

export interface JobStatusMessages {
  caption: string;
  job: string;
  schedule: string;
  lastRun: string;
  outcome: string;
  nextRun: string;
  lastError: string;
  never: string;
  none: string;
  noJobs: string;
  outcomes: Record<JobOutcome | 'running', string>;
}

export const JOB_STATUS_MESSAGES: Record<Locale, JobStatusMessages> = {
  ja: {
    caption: 'バックグラウンドジョブ',
    job: 'ジョブ',
    schedule: 'スケジュール',
    lastRun: '前回の実行',
    outcome: '結果',
    nextRun: '次回の実行',
    lastError: '直近のエラー',
    never: '未実行',
    none: 'なし',
    noJobs: 'ジョブはまだ登録されていません',
    outcomes: { running: '実行中', ok: '成功', failed: '失敗', timeout: 'タイムアウト' },
  },
  en: {
    caption: 'Background jobs',
    job: 'Job',
    schedule: 'Schedule',
    lastRun: 'Last run',
    outcome: 'Outcome',
    nextRun: 'Next run',
    lastError: 'Last error',
    never: 'Never',
    none: 'None',
    noJobs: 'No jobs registered yet',
    outcomes: { running: 'Running', ok: 'OK', failed: 'Failed', timeout: 'Timed out' },
  },
};
