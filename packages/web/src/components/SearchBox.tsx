import { useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';

/**
 * The one search box: submitting goes to /search?q=… (results come from GET /api/search). On the search
 * page itself (`keepFilters`) a new query keeps the chosen facet filters, as catalog searches usually do.
 */
export function SearchBox({ initial = '', autoFocus = false, keepFilters = false }: { initial?: string; autoFocus?: boolean; keepFilters?: boolean }) {
  const [text, setText] = useState(initial);
  const navigate = useNavigate();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const q = text.trim();
    void navigate({ to: '/search', search: keepFilters ? (previous) => ({ ...previous, q }) : { q } });
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor="search-input" className="visually-hidden">
        Search data products
      </label>
      <input
        id="search-input"
        type="search"
        placeholder="Search data products…"
        value={text}
        onChange={(event) => setText(event.target.value)}
        autoFocus={autoFocus}
      />
      <button type="submit" className="button button-primary">
        Search
      </button>
    </form>
  );
}
