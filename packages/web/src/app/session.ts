/**
 * The signed-in session: the bearer token from POST /api/auth/sign-in and the e-mail it was issued for.
 * Kept in sessionStorage: it survives a reload of the tab but not closing it, is not shared between tabs
 * and is never sent automatically (no cookie, so no CSRF surface). See docs/web.md "Auth".
 */
import { useSyncExternalStore } from 'react';

/** What the app knows about the person signed in. */
export interface Session {
  token: string;
  email: string;
}

const key = 'meshboard.session';
const listeners = new Set<() => void>();
let cached: Session | undefined | null = null;

function read(): Session | undefined {
  try {
    const parsed: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null');
    if (typeof parsed === 'object' && parsed !== null && typeof (parsed as Session).token === 'string' && typeof (parsed as Session).email === 'string') {
      return parsed as Session;
    }
  } catch {
    // A damaged entry counts as signed out.
  }
  return undefined;
}

/** The current session, or undefined when signed out. */
export function getSession(): Session | undefined {
  if (cached === null) cached = read();
  return cached;
}

/** Stores (or, with undefined, forgets) the session and tells every subscriber. */
export function setSession(session: Session | undefined): void {
  try {
    if (session === undefined) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, JSON.stringify(session));
  } catch {
    // Storage can be unavailable (private modes); the session then lives in memory for this page.
  }
  cached = session;
  for (const listener of listeners) listener();
}

/** The session as React state: re-renders on sign-in and sign-out. */
export function useSession(): Session | undefined {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    getSession,
  );
}
