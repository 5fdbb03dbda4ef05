import { describe, expect, it } from 'vitest';
import { createValidator } from '../createValidator';
import { humanizeErrors } from '../humanizeErrors';
import { qualityRules } from './qualityRules';
import { relationships } from './relationships';
import { slaProperties } from './slaProperties';
import { uniqueIds } from './uniqueIds';
import { uniqueNames } from './uniqueNames';
import { validContract } from './fixture';

describe('the rule fixture', () => {
  it('is schema-valid and breaks no semantic rule', () => {
    const validator = createValidator();
    const contract = validContract();
    expect(humanizeErrors(validator.errors('odcs-3.1.0', contract), validator.root('odcs-3.1.0'))).toEqual([]);
    expect([...uniqueIds(contract), ...uniqueNames(contract), ...relationships(contract), ...qualityRules(contract), ...slaProperties(contract)]).toEqual([]);
  });
});
