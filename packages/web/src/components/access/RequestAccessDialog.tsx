import type { OperationResult } from '@meshboard/client';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { api } from '../../app/api';
import { ErrorState } from '../ErrorState';
import { durationChoices } from './accessLabels';
import './access.css';

/** An access request as the API returns it. */
export type AccessRequest = OperationResult<'GET /api/access-requests/{id}'>;

/** What the dialog asks access to, and what happens around it. */
export interface RequestAccessDialogProps {
  /** Our product id or the product's document id. */
  productId: string;
  /** The output port's name. */
  port: string;
  /** Shown in the heading; the port alone when absent. */
  productName?: string;
  open: boolean;
  onClose: () => void;
  /** Called with the filed request (the dialog closes itself). */
  onRequested?: (request: AccessRequest) => void;
}

/**
 * The "Request access" form in a modal `<dialog>` (focus is trapped and Escape closes it, natively):
 * purpose, duration (or until revoked) and, for PostgreSQL ports, the database role to grant to. The
 * server's problems (duplicate request, deprecated product, field pointers) are shown as it said them.
 */
export function RequestAccessDialog({ productId, port, productName, open, onClose, onRequested }: RequestAccessDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const id = useId();
  const queryClient = useQueryClient();
  const [purpose, setPurpose] = useState('');
  const [duration, setDuration] = useState('90');
  const [dbRole, setDbRole] = useState('');
  const request = useMutation({
    mutationFn: () =>
      api.call('POST /api/access-requests', {
        body: { productId, port, purpose, durationDays: durationChoices.find((choice) => choice.value === duration)?.days ?? null, ...(dbRole.trim() === '' ? {} : { dbRole: dbRole.trim() }) },
      }),
    onSuccess: async (filed) => {
      await queryClient.invalidateQueries({ queryKey: ['access-requests'] });
      onRequested?.(filed);
      onClose();
    },
  });

  useEffect(() => {
    const element = dialog.current;
    if (element === null) return;
    if (open && !element.open) {
      request.reset();
      element.showModal();
    }
    if (!open && element.open) element.close();
    // Runs only when the dialog opens or closes (request.reset is stable).
  }, [open]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate();
  };

  return (
    <dialog ref={dialog} className="access-dialog" aria-labelledby={`${id}-title`} onClose={onClose}>
      <form className="form" onSubmit={submit}>
        <h2 id={`${id}-title`}>Request access to {productName === undefined ? port : `${productName} (${port})`}</h2>
        <label>
          Purpose
          <span className="form-hint" id={`${id}-purpose-hint`}>
            What you need the data for; the approvers read this.
          </span>
          <textarea aria-describedby={`${id}-purpose-hint`} value={purpose} onChange={(event) => setPurpose(event.target.value)} required minLength={3} maxLength={4000} />
        </label>
        <label>
          Duration
          <select value={duration} onChange={(event) => setDuration(event.target.value)}>
            {durationChoices.map((choice) => (
              <option key={choice.value} value={choice.value}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Database role (optional)
          <span className="form-hint" id={`${id}-role-hint`}>
            For PostgreSQL ports: the role Meshboard grants SELECT to when your request is approved.
          </span>
          <input aria-describedby={`${id}-role-hint`} value={dbRole} onChange={(event) => setDbRole(event.target.value)} maxLength={63} autoComplete="off" spellCheck={false} />
        </label>
        {request.isError && <ErrorState error={request.error} />}
        <div className="form-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={request.isPending}>
            {request.isPending ? 'Sending…' : 'Send request'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
