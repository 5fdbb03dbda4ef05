/** One member row of a sprint form, as typed (availability parsed on save). */
export interface MemberRow {
  name: string;
  available: string;
}

/** The members' availability rows of the plan and edit forms, with "Add member". */
export function MemberRows({ members, unit, onChange }: { members: MemberRow[]; unit: string; onChange: (members: MemberRow[]) => void }) {
  const setMember = (index: number, patch: Partial<MemberRow>) => onChange(members.map((member, i) => (i === index ? { ...member, ...patch } : member)));
  return (
    <>
      {members.map((member, index) => (
        <div key={index} className="term-row">
          <label className="inline-field">
            Member {index + 1}
            <input value={member.name} onChange={(event) => setMember(index, { name: event.target.value })} />
          </label>
          <label className="inline-field">
            Available ({unit}) {index + 1}
            <input type="number" min={0} step="any" value={member.available} onChange={(event) => setMember(index, { available: event.target.value })} />
          </label>
        </div>
      ))}
      <p>
        <button type="button" className="button" onClick={() => onChange([...members, { name: '', available: '' }])}>
          Add member
        </button>
      </p>
    </>
  );
}
