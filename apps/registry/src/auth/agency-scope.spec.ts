import { describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { agencyScope, assertCanSeeAgency, canSeeAgency } from './agency-scope.js';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('agency scope', () => {
  it('lets oversight see every agency, and agency staff only their own', () => {
    expect(agencyScope({ id: 'o', roles: ['oversight'] })).toEqual({ kind: 'all' });
    expect(canSeeAgency({ id: 'o', roles: ['oversight'] }, B)).toBe(true);
    expect(canSeeAgency({ id: 'e', roles: ['agency_editor'], agencyId: A }, A)).toBe(true);
    expect(canSeeAgency({ id: 'e', roles: ['agency_editor'], agencyId: A }, B)).toBe(false);
  });

  it('gives an admin no agency records', () => {
    expect(agencyScope({ id: 'a', roles: ['admin'] })).toEqual({ kind: 'none' });
    expect(canSeeAgency({ id: 'a', roles: ['admin'] }, A)).toBe(false);
  });

  it("answers another agency's record with 404, not 403", () => {
    expect(() => assertCanSeeAgency({ id: 'e', roles: ['agency_approver'], agencyId: A }, B, 'tool')).toThrow(
      NotFoundException,
    );
    expect(() => assertCanSeeAgency({ id: 'e', roles: ['agency_approver'], agencyId: A }, A)).not.toThrow();
  });
});
