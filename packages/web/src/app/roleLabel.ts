/** Display names of the per-domain roles (the API sends the stable snake_case names). */
const roleLabels: Record<string, string> = {
  data_product_owner: 'Data product owner',
  data_owner: 'Data owner',
  producer: 'Producer',
  member: 'Member',
};

/** The display name of a domain role; an unknown role (a newer server) is shown readably, not hidden. */
export function roleLabel(role: string): string {
  return roleLabels[role] ?? role.replaceAll('_', ' ');
}
