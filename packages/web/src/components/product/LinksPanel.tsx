import type { DocumentLink } from './documentFields';

/** Documentation links and support channels of a document; only http(s) and mailto URLs become links. */
export function LinksPanel({ links }: { links: readonly DocumentLink[] }) {
  if (links.length === 0) return <p className="empty">No documentation or support channel is declared.</p>;
  return (
    <ul className="list">
      {links.map((link, index) => (
        <li key={`${link.kind}-${index}`}>
          <span className="badge">{link.kind === 'support' ? 'support' : 'docs'}</span>{' '}
          {link.url === undefined ? <strong>{link.label}</strong> : <a href={link.url} rel="noreferrer noopener" target={link.url.startsWith('mailto:') ? undefined : '_blank'}>{link.label}</a>}
          {link.url !== undefined && <span className="muted small"> {link.url.replace(/^mailto:/, '')}</span>}
          {link.detail !== undefined && <div className="muted small">{link.detail}</div>}
        </li>
      ))}
    </ul>
  );
}
