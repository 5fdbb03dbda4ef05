import { useState } from 'react';
import { RequestAccessDialog, type AccessRequest } from './RequestAccessDialog';

/** Props of {@link RequestAccessButton}. */
export interface RequestAccessButtonProps {
  productId: string;
  port: string;
  productName?: string;
  /** Deprecated and retired products take no requests: the button is disabled with the reason. */
  productStatus?: string;
  onRequested?: (request: AccessRequest) => void;
}

/**
 * "Request access" for one output port: a button opening {@link RequestAccessDialog}. Placed on the
 * product page per port, and on "My access requests" after picking a product and port.
 */
export function RequestAccessButton({ productId, port, productName, productStatus, onRequested }: RequestAccessButtonProps) {
  const [open, setOpen] = useState(false);
  const closed = productStatus === 'deprecated' || productStatus === 'retired';
  return (
    <>
      <button type="button" className="button button-primary" disabled={closed} title={closed ? `The product is ${productStatus}; it takes no new requests.` : undefined} onClick={() => setOpen(true)}>
        Request access
      </button>
      <RequestAccessDialog productId={productId} port={port} {...(productName === undefined ? {} : { productName })} open={open} onClose={() => setOpen(false)} {...(onRequested === undefined ? {} : { onRequested })} />
    </>
  );
}
