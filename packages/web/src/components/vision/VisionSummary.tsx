import type { Vision } from '@meshboard/client';
import { canvasFields, canvasOf, isEmptyCanvas } from './visionFields';

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * A product's vision canvas, read-only: purpose and value as text, the lists as bullet lists, and who
 * saved the shown version when. For the product page (pass the answer of GET /api/products/{id}/vision)
 * and the vision page. `headingLevel` sets the level of the field headings (default h3).
 */
export function VisionSummary({ vision, headingLevel = 3, compact = false }: { vision: Vision; headingLevel?: 2 | 3 | 4; compact?: boolean }) {
  const canvas = canvasOf(vision);
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  if (vision.version === 0 || isEmptyCanvas(canvas)) return <p className="empty">No vision written yet.</p>;
  const fields = compact ? canvasFields.filter(({ key }) => key === 'purpose' || key === 'targetConsumers' || key === 'successKpis') : canvasFields;
  return (
    <div className="vision-summary">
      {fields.map(({ key, label }) => {
        const value = canvas[key];
        return (
          <section key={key} className="vision-field">
            <Heading>{label}</Heading>
            {Array.isArray(value) ? (
              value.length === 0 ? (
                <p className="muted small">Not given.</p>
              ) : (
                <ul>
                  {value.map((entry, index) => (
                    <li key={index}>{entry}</li>
                  ))}
                </ul>
              )
            ) : value === '' ? (
              <p className="muted small">Not given.</p>
            ) : (
              <p>{value}</p>
            )}
          </section>
        );
      })}
      {vision.savedAt !== null && (
        <p className="meta">
          Version {vision.version}, saved by {vision.savedByLabel ?? 'someone'} on {dateFormat.format(new Date(vision.savedAt))}
        </p>
      )}
    </div>
  );
}
