import { describe, expect, it } from '@jest/globals';
import { incidentDeadline } from './incident-deadline.js';

describe('the notification deadline of a serious incident (AI Act Art. 73)', () => {
  it('is 15 days, 10 for a death, 2 for critical infrastructure or a widespread infringement', () => {
    expect(incidentDeadline({ kind: 'fundamental_rights', foundOn: '2026-02-20' }, '2026-02-21')).toEqual({ days: 15, dueOn: '2026-03-07', late: false, overdue: false });
    expect(incidentDeadline({ kind: 'death', foundOn: '2026-12-28' }, '2026-12-28')?.dueOn).toBe('2027-01-07');
    expect(incidentDeadline({ kind: 'critical_infrastructure', foundOn: '2026-03-01' }, '2026-03-01')).toMatchObject({ days: 2, dueOn: '2026-03-03' });
    expect(incidentDeadline({ kind: 'serious_harm_to_health', widespread: true, foundOn: '2026-03-01' }, '2026-03-01')?.days).toBe(2);
  });

  it('flags a late notification and an overdue one; the due day itself is in time', () => {
    const found = { kind: 'property_or_environment', foundOn: '2026-01-01' };
    expect(incidentDeadline({ ...found, notifiedOn: '2026-01-16' }, '2026-02-01')).toMatchObject({ late: false, overdue: false });
    expect(incidentDeadline({ ...found, notifiedOn: '2026-01-17' }, '2026-02-01')).toMatchObject({ late: true, overdue: false });
    expect(incidentDeadline(found, '2026-01-16')).toMatchObject({ overdue: false });
    expect(incidentDeadline(found, '2026-01-17')).toMatchObject({ overdue: true });
    expect(incidentDeadline({ kind: 'death' }, '2026-01-17')).toBeUndefined();
  });
});
