import type { ReleaseCreate } from '@meshboard/client';
import { useState, type FormEvent } from 'react';

/** The fields of a release (name, product version, target date, description), for planning and editing. */
export function ReleaseForm({ label, submitLabel, initial, pending, onSubmit }: { label: string; submitLabel: string; initial?: ReleaseCreate; pending: boolean; onSubmit: (body: ReleaseCreate) => void }) {
  const [name, setName] = useState(initial?.name ?? '');
  const [productVersion, setProductVersion] = useState(initial?.productVersion ?? '');
  const [targetDate, setTargetDate] = useState(initial?.targetDate ?? '');
  const [description, setDescription] = useState(initial?.description ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit({ name, productVersion, targetDate: targetDate === '' ? null : targetDate, description });
  };
  return (
    <form className="release-form" aria-label={label} onSubmit={submit}>
      <label>
        Name
        <input value={name} onChange={(event) => setName(event.target.value)} required maxLength={200} />
      </label>
      <label>
        Product version
        <input value={productVersion} onChange={(event) => setProductVersion(event.target.value)} required placeholder="1.4.0" />
      </label>
      <label>
        Target date (optional)
        <input type="date" value={targetDate} onChange={(event) => setTargetDate(event.target.value)} />
      </label>
      <label>
        Description
        <textarea value={description} onChange={(event) => setDescription(event.target.value)} rows={3} />
      </label>
      <div>
        <button type="submit" className="button button-primary" disabled={pending}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}
