import type { ProductLifecycle } from '@meshboard/client';
import { Link } from '@tanstack/react-router';

/**
 * What a consumer must know first about a deprecated or retired product: the sunset date, the days left
 * and where to move. Shown at the top of the product page to everyone; renders nothing for live products.
 */
export function DeprecationBanner({ lifecycle }: { lifecycle: ProductLifecycle }) {
  if (lifecycle.status !== 'deprecated' && lifecycle.status !== 'retired') return null;
  const plan = lifecycle.plan;
  return (
    <div className="callout callout-danger deprecation-banner" role="note" aria-label={`${lifecycle.name} is ${lifecycle.status}`}>
      <strong>{lifecycle.status === 'retired' ? 'Retired: this product is no longer offered.' : 'Deprecated: this product is going away.'}</strong>
      {lifecycle.status === 'deprecated' && (
        <p>
          {plan?.sunsetDate == null ? 'No sunset date is set yet.' : <>Sunset on <time dateTime={plan.sunsetDate}>{plan.sunsetDate}</time>{plan.daysLeft !== null && plan.daysLeft >= 0 ? ` (${plan.daysLeft === 0 ? 'today' : `in ${plan.daysLeft} day${plan.daysLeft === 1 ? '' : 's'}`})` : ' (passed)'}.</>}{' '}
          New access requests are refused.
        </p>
      )}
      {plan?.replacement != null && (
        <p>
          Move to{' '}
          <Link to="/products/$productId" params={{ productId: plan.replacement.id }}>
            {plan.replacement.name}
          </Link>
          .
        </p>
      )}
      {plan !== null && plan.note !== '' && <p>{plan.note}</p>}
    </div>
  );
}
