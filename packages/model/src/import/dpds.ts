import { toPointer } from '../document/problem';
import { asArray, asString, isRecord, type Json } from '../diff/values';

/** Something the DPDS import could not carry over, or carried over by a rule worth knowing. */
export interface ImportNote {
  /** JSON pointer into the DPDS descriptor. */
  pointer: string;
  message: string;
  severity: 'error' | 'warning';
}

/** How to read a DPDS descriptor whose components live in other files. */
export interface DpdsImportOptions {
  /**
   * Returns the parsed component a `$ref` points to (relative to the descriptor), or `undefined` when it
   * cannot be read. The caller does the reading: the model does no I/O. Without it, referenced
   * components are imported from their inline fields only, with a warning.
   */
  resolveRef?: (ref: string) => unknown;
}

/** The ODPS product built from a DPDS descriptor and what could not be mapped. */
export interface DpdsImport {
  /** ODPS v1.0.0 product; `undefined` when the descriptor is not a DPDS document at all. */
  product: Record<string, unknown> | undefined;
  notes: ImportNote[];
}

/** The last meaningful segment of a DPDS URN: `urn:dpds:x:dataproducts:tripExecution:1` → `tripExecution`. */
function nameFromUrn(urn: string): string | undefined {
  const parts = urn.split(':').filter((part) => part !== '');
  while (parts.length > 0 && /^\d+(\.\d+)*$/.test(parts[parts.length - 1] ?? '')) parts.pop();
  return parts.pop();
}

/**
 * Maps an Open Data Mesh DPDS v1.0.0 descriptor to an ODPS v1.0.0 product (docs/diff.md, "DPDS import"):
 * `info` gives id (its `fullyQualifiedName`), name, version, domain, description and the owner (a team
 * member with role `owner`); `contactPoints` become support channels; interface input/output ports become
 * ODPS ports whose `contractId` is the port's fully qualified name (DPDS has no contract ids);
 * observability, control and discovery ports become management ports. The product is `draft`: an
 * import is reviewed before it is published. Unmappable parts are reported in `notes`, never thrown.
 */
export function importDpds(descriptor: unknown, options: DpdsImportOptions = {}): DpdsImport {
  const notes: ImportNote[] = [];
  const note = (path: (string | number)[], message: string, severity: ImportNote['severity'] = 'warning'): void => {
    notes.push({ pointer: toPointer(path), message, severity });
  };
  if (!isRecord(descriptor) || !isRecord(descriptor['info'])) {
    note([], 'not a DPDS descriptor: expected an object with `dataProductDescriptor` and `info`', 'error');
    return { product: undefined, notes };
  }
  const declared = asString(descriptor['dataProductDescriptor']);
  if (declared === undefined) note(['dataProductDescriptor'], 'no `dataProductDescriptor` version; read as 1.0.0');
  else if (!declared.startsWith('1.')) note(['dataProductDescriptor'], `DPDS ${declared} is read as 1.0.0; fields it does not know are skipped`);

  const info = descriptor['info'];
  const fqn = asString(info['fullyQualifiedName']);
  const name = asString(info['displayName']) ?? asString(info['name']) ?? (fqn === undefined ? undefined : nameFromUrn(fqn));
  const id = fqn ?? asString(info['name']);
  if (id === undefined) note(['info'], 'no `fullyQualifiedName` or `name` to use as the product id', 'error');
  const productName = name ?? id ?? 'unnamed';
  const version = asString(info['version']);
  if (version === undefined) note(['info', 'version'], 'no version; ODPS recommends one');

  const product: Record<string, unknown> = {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: id ?? productName,
    name: productName,
    ...(version === undefined ? {} : { version }),
    status: 'draft',
    ...(asString(info['domain']) === undefined ? {} : { domain: asString(info['domain']) }),
  };
  const purpose = asString(info['description']);
  if (purpose !== undefined) product['description'] = { purpose };
  const tags = asArray(descriptor['tags']).filter((tag): tag is string => typeof tag === 'string');
  if (tags.length > 0) product['tags'] = tags;

  const resolve = (item: Json, path: (string | number)[]): Json => {
    const ref = asString(item['$ref']);
    if (ref === undefined) return item;
    const target = options.resolveRef?.(ref);
    if (!isRecord(target)) {
      note([...path, '$ref'], options.resolveRef === undefined ? `component is in ${ref}, which was not read; only its inline fields were imported` : `could not read ${ref}; only the inline fields were imported`);
      return item;
    }
    // Inline fields next to $ref (usually a description) override the referenced file, as in JSON Reference practice.
    const { $ref: _ref, ...inline } = item;
    return { ...target, ...inline };
  };

  const components = isRecord(descriptor['interfaceComponents']) ? descriptor['interfaceComponents'] : {};
  const ports = (key: string): { port: Json; path: (string | number)[] }[] =>
    asArray(components[key]).flatMap((raw, index) => {
      const path = ['interfaceComponents', key, index];
      if (!isRecord(raw)) {
        note(path, 'port is not an object; skipped');
        return [];
      }
      return [{ port: resolve(raw, path), path }];
    });
  const portName = (port: Json, path: (string | number)[]): string => {
    const found = asString(port['name']) ?? (asString(port['fullyQualifiedName']) === undefined ? undefined : nameFromUrn(asString(port['fullyQualifiedName']) ?? ''));
    if (found !== undefined) return found;
    const fallback = asString(port['$ref'])?.replace(/^.*\//, '').replace(/\.[a-z]+$/i, '') ?? `port-${String(path[path.length - 1])}`;
    note(path, `port has no name; named ${fallback}`);
    return fallback;
  };
  const contractIdOf = (port: Json, name: string, kind: string): string =>
    asString(port['fullyQualifiedName']) ?? `${id ?? productName}:${kind}:${name}`;
  const portVersion = (port: Json, path: (string | number)[]): string => {
    const found = asString(port['version']);
    if (found !== undefined) return found;
    note(path, `port has no version; ${version ?? '1.0.0'} (the product's) was used`);
    return version ?? '1.0.0';
  };

  const inputPorts = ports('inputPorts').map(({ port, path }) => {
    const name = portName(port, path);
    return { name, version: portVersion(port, path), contractId: contractIdOf(port, name, 'inputports') };
  });
  if (inputPorts.length > 0) product['inputPorts'] = inputPorts;
  const outputPorts = ports('outputPorts').map(({ port, path }) => {
    const name = portName(port, path);
    const promises = isRecord(port['promises']) ? port['promises'] : {};
    const type = asString(promises['servicesType']) ?? asString(promises['serviceType']);
    const description = asString(port['description']);
    return {
      name,
      ...(description === undefined ? {} : { description }),
      ...(type === undefined ? {} : { type }),
      version: portVersion(port, path),
      contractId: contractIdOf(port, name, 'outputports'),
    };
  });
  if (outputPorts.length > 0) product['outputPorts'] = outputPorts;
  else note(['interfaceComponents', 'outputPorts'], 'no output ports: consumers have nothing to use yet');

  const management = (['observabilityPorts', 'controlPorts', 'discoveryPorts'] as const).flatMap((key) =>
    ports(key).map(({ port, path }) => {
      const description = asString(port['description']);
      return {
        name: portName(port, path),
        content: key.replace('Ports', '').replace('discovery', 'discoverability'),
        ...(description === undefined ? {} : { description }),
      };
    }),
  );
  if (management.length > 0) product['managementPorts'] = management;

  const owner = isRecord(info['owner']) ? info['owner'] : undefined;
  const ownerId = owner === undefined ? undefined : asString(owner['id']);
  if (ownerId !== undefined) {
    const ownerName = asString(owner?.['name']);
    product['team'] = { members: [{ username: ownerId, ...(ownerName === undefined ? {} : { name: ownerName }), role: 'owner' }] };
  } else {
    note(['info', 'owner'], 'no owner id; the product has no team');
  }

  const support = asArray(info['contactPoints']).flatMap((raw, index) => {
    if (!isRecord(raw)) return [];
    const address = asString(raw['address']);
    const url = address === undefined ? undefined : /^[a-z][a-z0-9+.-]*:/i.test(address) ? address : address.includes('@') ? `mailto:${address}` : undefined;
    if (url === undefined) {
      note(['info', 'contactPoints', index], 'contact point has no usable address (ODPS support needs a URL); skipped');
      return [];
    }
    const description = asString(raw['description']);
    const tool = asString(raw['channel']);
    return [{ channel: asString(raw['name']) ?? tool ?? url, url, ...(tool === undefined ? {} : { tool }), ...(description === undefined ? {} : { description }) }];
  });
  if (support.length > 0) product['support'] = support;

  if (fqn !== undefined && asString(info['name']) !== undefined && asString(info['displayName']) !== undefined) {
    product['customProperties'] = [{ property: 'dpdsName', value: asString(info['name']) }];
  }
  if (descriptor['internalComponents'] !== undefined) {
    note(['internalComponents'], 'internal components (applications, infrastructure, lifecycle) have no ODPS equivalent; not imported');
  }
  return { product, notes };
}
