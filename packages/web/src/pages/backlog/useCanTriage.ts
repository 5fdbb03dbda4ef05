import { useQuery } from '@tanstack/react-query';
import { api } from '../../app/api';

/**
 * Whether the signed-in user may triage a product's backlog: an administrator or anyone with a role in
 * the product's domain (the server enforces the same rule; this only hides controls that would fail).
 */
export function useCanTriage(domainId: string): boolean {
  const me = useQuery({ queryKey: ['me'], queryFn: ({ signal }) => api.call('GET /api/me', undefined, { signal }) });
  if (me.data === undefined) return false;
  return me.data.isAdmin || me.data.roles.some((role) => role.domainId === domainId);
}
