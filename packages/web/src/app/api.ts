/**
 * The one API client of the web app: same origin, the session's token, and a 401 hook that ends the
 * session and sends the user to sign-in (set by the router, which knows where the user was).
 */
import { createClient, type MeshboardClient } from '@meshboard/client';
import { getSession, setSession } from './session';

let onSessionExpired: () => void = () => undefined;

/** Sets what happens when the server no longer accepts the session (the router redirects). */
export function handleSessionExpired(handler: () => void): void {
  onSessionExpired = handler;
}

/** The client every page uses. */
export const api: MeshboardClient = createClient({
  baseUrl: '',
  token: () => getSession()?.token,
  onNotAuthenticated: () => {
    // A wrong password on the sign-in page is also a 401; only an expired session ends the session.
    if (getSession() === undefined) return;
    setSession(undefined);
    onSessionExpired();
  },
});
