import type { User } from '@meshboard/client';
import { ownerRelation, ownershipRole, teamOf, type OwnerView } from './documentFields';

type Role = 'data_product_owner' | 'data_owner' | 'producer';
const roleTitles: Record<Role, string> = { data_product_owner: 'Data product owner', data_owner: 'Data owner (source system)', producer: 'Producer' };

const relationText = {
  'same-person': 'One person is both the data product owner and the data owner of the source.',
  'two-people': 'The data product owner and the data owner are two different people.',
  differ: 'Data product owners and data owners overlap only in part.',
  'not-declared': 'Whether the data product owner also owns the source data is not declared.',
} as const;

/**
 * Who owns a product: the owning team, and per role (data product owner, data owner, producer) the people
 * the ODPS document's team names (by their role text), or — when the document names nobody for a role —
 * the holders of that role in the product's domain. States whether product owner and data owner are one
 * person, two, or differ.
 */
export function OwnersPanel({ document, teamName, domainId, users }: { document: unknown; teamName: string | undefined; domainId: string; users: readonly User[] }) {
  const team = teamOf(document);
  const byEmail = new Map(users.map((user) => [user.email.toLowerCase(), user]));
  const people = (role: Role): { owners: OwnerView[]; source: 'document' | 'domain' } => {
    const declared = team.members
      .filter((member) => ownershipRole(member.role) === role)
      .map((member) => {
        const key = (member.username ?? member.name ?? '').toLowerCase();
        const user = byEmail.get(key);
        return { key, label: member.name ?? user?.name ?? member.username ?? key };
      });
    if (declared.length > 0) return { owners: dedupe(declared), source: 'document' };
    const holders = users.filter((user) => user.roles.some((grant) => grant.domainId === domainId && grant.role === role)).map((user) => ({ key: user.email.toLowerCase(), label: user.name }));
    return { owners: holders, source: 'domain' };
  };
  const roles = (['data_product_owner', 'data_owner', 'producer'] as const).map((role) => ({ role, ...people(role) }));
  const relation = ownerRelation(roles[0]?.owners ?? [], roles[1]?.owners ?? []);
  return (
    <div>
      <p>
        Owning team: <strong>{teamName ?? team.name ?? 'not named'}</strong>
      </p>
      <dl className="owners">
        {roles.map(({ role, owners, source }) => (
          <div key={role}>
            <dt>{roleTitles[role]}</dt>
            <dd>
              {owners.length === 0 ? <span className="muted">nobody named</span> : owners.map((owner) => owner.label).join(', ')}
              {owners.length > 0 && <span className="muted small"> ({source === 'document' ? 'from the product document' : 'role in the domain'})</span>}
            </dd>
          </div>
        ))}
      </dl>
      <p className={`owner-relation relation-${relation}`}>{relationText[relation]}</p>
    </div>
  );
}

function dedupe(owners: OwnerView[]): OwnerView[] {
  return owners.filter((owner, index) => owners.findIndex((other) => other.key === owner.key) === index);
}
