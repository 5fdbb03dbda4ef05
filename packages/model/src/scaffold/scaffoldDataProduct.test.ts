import Ajv2019 from 'ajv/dist/2019';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import odcs from '../../schemas/odcs-json-schema-v3.1.0.json' with { type: 'json' };
import odps from '../../schemas/odps-json-schema-v1.0.0.json' with { type: 'json' };
import { ScaffoldInputError, scaffoldDataProduct, slugify } from './scaffoldDataProduct';

const ajv = new Ajv2019({ allErrors: true, strict: false });
addFormats(ajv);
const validContract = ajv.compile(odcs);
const validProduct = ajv.compile(odps);

describe('scaffoldDataProduct', () => {
  it('scaffolds a product and contract that validate against ODPS v1.0.0 and ODCS v3.1.0', () => {
    const { product, contract, slug } = scaffoldDataProduct({ name: 'Customer Orders', domain: 'Sales', owner: 'ana@example.com' });
    expect(slug).toBe('customer-orders');
    expect(validProduct(product), JSON.stringify(validProduct.errors)).toBe(true);
    expect(validContract(contract), JSON.stringify(validContract.errors)).toBe(true);
  });

  it('validates without an owner too', () => {
    const { product, contract } = scaffoldDataProduct({ name: 'x', domain: 'y' });
    expect(validProduct(product)).toBe(true);
    expect(validContract(contract)).toBe(true);
    expect(product['team']).toBeUndefined();
  });

  it('binds the output port to the contract by id and version', () => {
    const { product, contract } = scaffoldDataProduct({ name: 'Orders', domain: 'sales', contractId: 'c-1', version: '1.0.0' });
    expect(product['outputPorts']).toEqual([expect.objectContaining({ name: 'orders', contractId: 'c-1', version: '1.0.0' })]);
    expect(contract['id']).toBe('c-1');
    expect(contract['version']).toBe('1.0.0');
  });

  it('derives readable ids from domain and name by default', () => {
    const { product, contract } = scaffoldDataProduct({ name: 'Orders', domain: 'Sales EU' });
    expect(product['id']).toBe('sales-eu.orders');
    expect(contract['id']).toBe('sales-eu.orders.contract');
  });

  it('rejects a name without letters or digits', () => {
    expect(() => scaffoldDataProduct({ name: '***', domain: 'sales' })).toThrow(ScaffoldInputError);
  });

  it('rejects a domain without letters or digits', () => {
    expect(() => scaffoldDataProduct({ name: 'orders', domain: ' ' })).toThrow(/domain/);
  });

  it('slugifies accents and punctuation', () => {
    expect(slugify('Überweisungen (EU) 2024!')).toBe('uberweisungen-eu-2024');
  });
});
