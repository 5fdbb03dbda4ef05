import { Link } from '@tanstack/react-router';
import { useTitle } from '../components/useTitle';

/** Any path the app does not know. */
export function NotFoundPage() {
  useTitle('Page not found');
  return (
    <main id="main" className="content">
      <h1>Page not found</h1>
      <p className="lead">There is no page at this address.</p>
      <Link to="/" className="button">
        Go home
      </Link>
    </main>
  );
}
