import type { Vision } from '@meshboard/client';

/** A vision canvas as the web app edits it: every field present. */
export interface CanvasFields {
  purpose: string;
  targetConsumers: string[];
  useCases: string[];
  value: string;
  successKpis: string[];
  sources: string[];
  constraints: string[];
}

/** The canvas's fields in display order, with their labels; lists are edited one entry per line. */
export const canvasFields: ReadonlyArray<{ key: keyof CanvasFields; label: string; list: boolean; hint: string }> = [
  { key: 'purpose', label: 'Purpose', list: false, hint: 'Why the product exists, in a sentence or two.' },
  { key: 'targetConsumers', label: 'Target consumers', list: true, hint: 'Teams or roles, one per line.' },
  { key: 'useCases', label: 'Use cases', list: true, hint: 'One per line.' },
  { key: 'value', label: 'Value', list: false, hint: 'What it is worth to the consumers and the business.' },
  { key: 'successKpis', label: 'Success KPIs', list: true, hint: 'How success is judged, one per line; define measured KPIs on the KPIs page.' },
  { key: 'sources', label: 'Sources', list: true, hint: 'Systems and products it is built from, one per line.' },
  { key: 'constraints', label: 'Constraints', list: true, hint: 'Legal, privacy or technical limits, one per line.' },
];

/** The canvas of a {@link Vision} with every field filled (absent fields are empty). */
export function canvasOf(vision: Pick<Vision, 'canvas'>): CanvasFields {
  const canvas = vision.canvas;
  return {
    purpose: canvas.purpose ?? '',
    targetConsumers: canvas.targetConsumers ?? [],
    useCases: canvas.useCases ?? [],
    value: canvas.value ?? '',
    successKpis: canvas.successKpis ?? [],
    sources: canvas.sources ?? [],
    constraints: canvas.constraints ?? [],
  };
}

/** Whether nothing was written into the canvas. */
export function isEmptyCanvas(canvas: CanvasFields): boolean {
  return canvasFields.every(({ key }) => (Array.isArray(canvas[key]) ? canvas[key].length === 0 : canvas[key] === ''));
}
