import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';

const ownerRoles = ['data_product_owner', 'data_owner', 'producer'];

/**
 * Whether the signed-in user may read the demand inbox and triage demands: an administrator or an owner
 * (data product owner, data owner, producer) of some domain. The server enforces the same rule; this
 * only hides controls that would fail.
 */
export function useSeesDemandInbox(): boolean {
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => api.call('GET /api/me', undefined, { signal }) });
  return me.data !== undefined && (me.data.isAdmin || me.data.roles.some((role) => ownerRoles.includes(role.role)));
}
