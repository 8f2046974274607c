/**
 * AI Act Art. 73: how long an agency has to notify a serious incident, from the day it became
 * aware of it — 2 days for a widespread infringement or a disruption of critical infrastructure
 * (Art. 73(3)), 10 days for a death (Art. 73(4)), 15 days otherwise (Art. 73(2)).
 */
export interface IncidentDeadline {
  days: 2 | 10 | 15;
  dueOn: string;
  /** Notified after dueOn (a late notification is recorded, never refused). */
  late: boolean;
  /** Not notified and past dueOn. */
  overdue: boolean;
}

export function incidentDeadline(content: { kind?: string; widespread?: boolean; foundOn?: string; notifiedOn?: string }, today: string): IncidentDeadline | undefined {
  if (!content.foundOn) return undefined;
  const days = content.widespread || content.kind === 'critical_infrastructure' ? 2 : content.kind === 'death' ? 10 : 15;
  const due = new Date(`${content.foundOn}T00:00:00Z`);
  due.setUTCDate(due.getUTCDate() + days);
  const dueOn = due.toISOString().slice(0, 10);
  return {
    days,
    dueOn,
    late: content.notifiedOn !== undefined && content.notifiedOn > dueOn,
    overdue: content.notifiedOn === undefined && today > dueOn,
  };
}
