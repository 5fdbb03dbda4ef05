import { useNavigate } from '@tanstack/react-router';
import { forwardRef, useState, type FormEvent, type KeyboardEvent } from 'react';

/**
 * The search box of other pages (home): submitting goes to /search?q=… (results come from
 * GET /api/search). The search page itself uses {@link InstantSearchBox}.
 */
export function SearchBox({ initial = '', autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  const [text, setText] = useState(initial);
  const navigate = useNavigate();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void navigate({ to: '/search', search: { q: text.trim() } });
  };
  return (
    <form role="search" className="search-box" onSubmit={submit}>
      <label htmlFor="search-input" className="visually-hidden">
        Search data products
      </label>
      <input id="search-input" type="search" placeholder="Search data products…" value={text} onChange={(event) => setText(event.target.value)} autoFocus={autoFocus} />
      <button type="submit" className="button button-primary">
        Search
      </button>
    </form>
  );
}

/** Props of {@link InstantSearchBox}: a controlled text and what Enter, Escape and ArrowDown do. */
export interface InstantSearchBoxProps {
  value: string;
  onChange: (value: string) => void;
  /** Enter: search now, without waiting for the debounce. */
  onSubmit: () => void;
  /** ArrowDown: move into the results. */
  onArrowDown: () => void;
  autoFocus?: boolean;
}

/**
 * The search page's box: results follow the text as it is typed (the page debounces). Escape clears the
 * text (back to browsing), ArrowDown moves to the first result; the button is there for those who
 * expect one.
 */
export const InstantSearchBox = forwardRef<HTMLInputElement, InstantSearchBoxProps>(function InstantSearchBox({ value, onChange, onSubmit, onArrowDown, autoFocus = false }, ref) {
  const keyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'Escape' && value !== '') {
      event.preventDefault();
      onChange('');
    } else if (event.key === 'ArrowDown') {
      event.preventDefault();
      onArrowDown();
    }
  };
  return (
    <form
      role="search"
      className="search-box"
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      <label htmlFor="search-input" className="visually-hidden">
        Search data products
      </label>
      <input
        ref={ref}
        id="search-input"
        type="search"
        placeholder="Search data products…"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        onKeyDown={keyDown}
        autoFocus={autoFocus}
        aria-describedby="search-hint"
        autoComplete="off"
        spellCheck={false}
      />
      <button type="submit" className="button button-primary">
        Search
      </button>
      <span id="search-hint" className="visually-hidden">
        Results update as you type. Press the down arrow to move to the results, Escape to clear.
      </span>
    </form>
  );
});
