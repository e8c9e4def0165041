// The task list every incident starts with: the steps of a card-data breach response as the
// report this project started from describes them, in order. Two carry legal deadlines (the PPC
// reports, legal-deadlines.ts); the others get a suggested due day the merchant can change.
import type { LegalClock } from './legal-deadlines.ts';

export interface BreachProcessTask {
  key: string;
  ja: string;
  en: string;
  /** The due day comes from this legal clock. */
  clock?: LegalClock;
  /** Otherwise: suggested days after the day of awareness (none: set when it becomes plannable). */
  suggestedDays?: number;
}

export const BREACH_PROCESS_TASKS: readonly BreachProcessTask[] = [
  { key: 'stop_payments', ja: 'カード決済（必要ならストアフロント全体）を停止する', en: 'Stop card payments (and the whole storefront if needed)', suggestedDays: 0 },
  { key: 'forensic_investigation', ja: 'フォレンジック調査を依頼する', en: 'Commission a forensic investigation', suggestedDays: 2 },
  { key: 'card_monitoring', ja: 'カード会社に対象カードのモニタリングを依頼する', en: 'Ask the card companies to monitor the affected cards', suggestedDays: 1 },
  { key: 'ppc_preliminary_report', ja: '個人情報保護委員会へ速報を提出する', en: 'Submit the preliminary report to the PPC', clock: 'ppc_preliminary' },
  { key: 'police_consultation', ja: '警察に相談する', en: 'Consult the police', suggestedDays: 5 },
  { key: 'scope_affected', ja: '影響を受けた顧客・注文を特定する', en: 'Scope the affected customers and orders', suggestedDays: 5 },
  { key: 'notify_customers', ja: '対象のお客様に通知する', en: 'Notify the affected customers' },
  { key: 'open_inquiry_desk', ja: '問い合わせ窓口を開設する', en: 'Open the inquiry desk' },
  { key: 'publish_notice', ja: 'お詫びとお知らせを公表する', en: 'Publish a public notice' },
  { key: 'ppc_final_report', ja: '個人情報保護委員会へ確報を提出する', en: 'Submit the final report to the PPC', clock: 'ppc_final' },
  { key: 'fix_causes', ja: '原因を修正し、再発防止策を実施する', en: 'Fix the causes and put prevention measures in place' },
  { key: 'resumption_checklist', ja: '再開前チェックリストを完了する', en: 'Complete the resumption checklist' },
];

export function breachProcessTask(key: string): BreachProcessTask | undefined {
  return BREACH_PROCESS_TASKS.find((t) => t.key === key);
}

/** Which task's completion silences a legal clock's reminders (the report was submitted). */
export const TASK_OF_CLOCK: Record<LegalClock, string> = { ppc_preliminary: 'ppc_preliminary_report', ppc_final: 'ppc_final_report' };
