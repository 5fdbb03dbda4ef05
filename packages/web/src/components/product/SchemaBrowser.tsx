import { useId, useState } from 'react';
import { propertyMatches, schemaOf } from './documentFields';

/**
 * The schema of a contract: one collapsible block per object (a real button with aria-expanded), its
 * properties with logical/physical types, required/unique/key, classification and PII markers,
 * descriptions and relationships; a filter narrows properties across all objects (objects with a match
 * open while filtering).
 */
export function SchemaBrowser({ document }: { document: unknown }) {
  const objects = schemaOf(document);
  const id = useId();
  const [filter, setFilter] = useState('');
  const [closed, setClosed] = useState<ReadonlySet<string>>(new Set());
  if (objects.length === 0) return <p className="empty">This contract declares no schema.</p>;
  const filtering = filter.trim() !== '';
  const shown = objects.map((object) => ({ object, properties: object.properties.filter((property) => propertyMatches(property, filter)) }));
  const matches = shown.reduce((sum, item) => sum + item.properties.length, 0);
  const toggle = (name: string) =>
    setClosed((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  return (
    <div className="schema">
      <div className="schema-tools">
        <label htmlFor={`${id}-filter`}>Filter columns</label>
        <input id={`${id}-filter`} type="search" value={filter} placeholder="name, type, PII, description…" onChange={(event) => setFilter(event.target.value)} />
        <button type="button" className="button button-small" onClick={() => setClosed(new Set())}>
          Expand all
        </button>
        <button type="button" className="button button-small" onClick={() => setClosed(new Set(objects.map((object) => object.name)))}>
          Collapse all
        </button>
        <span className="small muted" role="status" aria-live="polite">
          {filtering ? `${matches} matching ${matches === 1 ? 'column' : 'columns'}` : `${objects.length} ${objects.length === 1 ? 'object' : 'objects'}`}
        </span>
      </div>
      {shown.map(({ object, properties }) => {
        if (filtering && properties.length === 0) return null;
        const open = filtering || !closed.has(object.name);
        const panel = `${id}-${object.name}`;
        return (
          <div key={object.name} className="schema-object">
            <h3 className="schema-object-head">
              <button type="button" className="disclosure" aria-expanded={open} aria-controls={panel} onClick={() => toggle(object.name)}>
                <span aria-hidden="true" className="chevron">
                  {open ? '▾' : '▸'}
                </span>
                {object.name}
                <span className="muted small">
                  {' '}
                  · {object.properties.length} columns{object.physicalName !== undefined && object.physicalName !== object.name ? ` · ${object.physicalName}` : ''}
                </span>
              </button>
            </h3>
            <div id={panel} hidden={!open}>
              {object.description !== undefined && <p className="small muted">{object.description}</p>}
              {object.relationships.length > 0 && <p className="small">Relationships: {object.relationships.join('; ')}</p>}
              <div className="table-scroll">
                <table className="table schema-table">
                  <caption className="visually-hidden">Columns of {object.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Column</th>
                      <th scope="col">Type</th>
                      <th scope="col">Constraints</th>
                      <th scope="col">Classification</th>
                      <th scope="col">Description</th>
                    </tr>
                  </thead>
                  <tbody>
                    {properties.map((property) => (
                      <tr key={property.path}>
                        <th scope="row">
                          <code>{property.path}</code>
                        </th>
                        <td>
                          {property.logicalType ?? '—'}
                          {property.physicalType !== undefined && <div className="muted small">{property.physicalType}</div>}
                        </td>
                        <td>
                          {property.primaryKey && <span className="badge">key</span>}
                          {property.required && <span className="badge">required</span>}
                          {property.unique && <span className="badge">unique</span>}
                          {!property.primaryKey && !property.required && !property.unique && <span className="muted">—</span>}
                        </td>
                        <td>
                          {property.pii && <span className="badge badge-pii">PII</span>}
                          {property.classification !== undefined && !(property.pii && property.classification.toUpperCase() === 'PII') && <span className="badge">{property.classification}</span>}
                          {!property.pii && property.classification === undefined && <span className="muted">—</span>}
                        </td>
                        <td>
                          {property.description ?? <span className="muted">—</span>}
                          {property.relationships.length > 0 && <div className="small">→ {property.relationships.join('; ')}</div>}
                          {property.examples.length > 0 && <div className="small muted">e.g. {property.examples.join(', ')}</div>}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </div>
        );
      })}
      {filtering && matches === 0 && <p className="empty">No column matches “{filter}”.</p>}
    </div>
  );
}
