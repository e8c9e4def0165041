// SQLite: one shop instance owns the database, so a due slot simply runs here.
import type { JobDefinition } from './job-definition.ts';
import { SchedulerCore } from './scheduler-core.ts';

export class InProcessScheduler extends SchedulerCore {
  readonly kind = 'in-process' as const;
  protected async open(): Promise<void> {}
  protected async close(): Promise<void> {}
  protected async dispatch(job: JobDefinition, slot: Date): Promise<boolean> {
    return this.launch(job, { trigger: 'schedule', scheduledFor: slot });
  }
}
