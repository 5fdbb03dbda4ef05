import { useMutation } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { api } from '../app/api';
import { setSession } from '../app/session';
import { ErrorState } from '../components/ErrorState';
import { ThemeSelect } from '../components/ThemeSelect';
import { useTitle } from '../components/useTitle';

const route = getRouteApi('/sign-in');

/** Only same-app paths are followed after sign-in (never another origin from a crafted link). */
export function safeRedirect(target: string | undefined): string {
  return target !== undefined && target.startsWith('/') && !target.startsWith('//') && !target.startsWith('/sign-in') ? target : '/';
}

/** Sign-in with e-mail and password (POST /api/auth/sign-in); then back to where the user was going. */
export function SignInPage() {
  useTitle('Sign in');
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const signIn = useMutation({
    mutationFn: () => api.call('POST /api/auth/sign-in', { body: { email, password } }),
    onSuccess: async (issued) => {
      setSession({ token: issued.token, email: email.trim() });
      await navigate({ href: safeRedirect(redirect) });
    },
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    signIn.mutate();
  };
  return (
    <main id="main" className="sign-in">
      <div className="sign-in-card card">
        <div className="sign-in-head">
          <span className="brand">
            <span className="brand-mark" aria-hidden="true" />
            Meshboard
          </span>
          <ThemeSelect />
        </div>
        <h1>Sign in</h1>
        <p className="muted">The data products of your mesh, their contracts and their owners.</p>
        <form onSubmit={submit} className="form">
          <label>
            E-mail
            <input type="email" autoComplete="username" required value={email} onChange={(event) => setEmail(event.target.value)} />
          </label>
          <label>
            Password
            <input type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />
          </label>
          {signIn.isError && <ErrorState error={signIn.error} />}
          <button type="submit" className="button button-primary" disabled={signIn.isPending}>
            {signIn.isPending ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
