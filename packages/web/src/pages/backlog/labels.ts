import { numericInputs, stateLabel, type BacklogKind, type BacklogState, type Framework, type NumericInputName } from '@meshboard/model';

/** Item kinds as people read them. */
export const kindLabels: Record<BacklogKind, string> = { request: 'Request', idea: 'Idea', story: 'User story', defect: 'Defect' };

/** Frameworks as people read them. */
export const frameworkLabels: Record<Framework, string> = { rice: 'RICE', wsjf: 'WSJF', ice: 'ICE', moscow: 'MoSCoW', 'value-effort': 'Value/effort matrix', custom: 'Custom formula' };

/** A state's label with a capital letter ("In progress"). */
export function stateName(state: BacklogState): string {
  const label = stateLabel(state);
  return label.charAt(0).toUpperCase() + label.slice(1);
}

/** An input's label: a built-in input's name, or the custom name as it is. */
export function inputLabel(name: string): string {
  if (name === 'moscow') return 'MoSCoW';
  return name in numericInputs ? numericInputs[name as NumericInputName].label : name;
}

/** An input's help text, when built in. */
export function inputHelp(name: string): string | undefined {
  if (name === 'moscow') return 'Must, should, could or won’t have (this time).';
  return name in numericInputs ? numericInputs[name as NumericInputName].help : undefined;
}
