import { writeBacklogCsv, type BacklogExportRow } from '@meshboard/model';
import type { Actor } from '../auth/Actor';
import type { Services } from './createServices';

type DemoItem = Omit<BacklogExportRow, 'number' | 'votes' | 'duplicateOf' | 'createdAt' | 'requester'> & { requester?: string };

const consumer = 'consumer@demo.meshboard.local';

/** A handful of items per demo product, so the backlog pages are not empty on first start. */
const demoBacklogs: Readonly<Record<string, { framework: 'rice' | 'wsjf' | 'value-effort'; items: readonly DemoItem[] }>> = {
  'sales.orders': {
    framework: 'rice',
    items: [
      { kind: 'request', title: 'Add the order channel (web, app, store)', description: 'Marketing cannot split conversions by channel.', state: 'triaged', declineReason: null, labels: ['schema'], estimate: 3, acceptanceCriteria: [], inputs: { reach: 4, impact: 2, confidence: 80, effort: 1 }, requester: consumer },
      { kind: 'story', title: 'Publish orders within 15 minutes of checkout', description: 'As a fulfilment planner I want fresh orders so that I can plan picking waves.', state: 'planned', declineReason: null, labels: ['freshness'], estimate: 8, acceptanceCriteria: ['95% of orders visible within 15 minutes', 'Freshness SLA in the contract updated'], inputs: { reach: 3, impact: 3, confidence: 50, effort: 4 } },
      { kind: 'defect', title: 'Currency missing on some refunded orders', description: 'Refunds created by the support tool have no currency.', state: 'new', declineReason: null, labels: ['quality'], estimate: 2, acceptanceCriteria: [], inputs: { impact: 1, confidence: 100, effort: 0.5 }, requester: consumer },
      { kind: 'idea', title: 'Daily order snapshot as Parquet', description: '', state: 'new', declineReason: null, labels: ['format'], estimate: null, acceptanceCriteria: [], inputs: {} },
      { kind: 'request', title: 'Expose raw clickstream per order', description: 'Out of this product’s scope.', state: 'declined', declineReason: 'Clickstream belongs to the web analytics product; we link it instead.', labels: [], estimate: null, acceptanceCriteria: [], inputs: {}, requester: consumer },
    ],
  },
  'logistics.shipments': {
    framework: 'wsjf',
    items: [
      { kind: 'request', title: 'Carrier tracking URL per shipment', description: '', state: 'new', declineReason: null, labels: ['customer-service'], estimate: 2, acceptanceCriteria: [], inputs: { businessValue: 8, timeCriticality: 3, riskReduction: 1, jobSize: 2 }, requester: consumer },
      { kind: 'story', title: 'Split shipments with several parcels', description: 'As a controller I want one row per parcel so that costs add up.', state: 'in_progress', declineReason: null, labels: ['schema'], estimate: 5, acceptanceCriteria: ['One row per parcel', 'Parcel weight sums to shipment weight'], inputs: { businessValue: 13, timeCriticality: 8, riskReduction: 5, jobSize: 8 } },
      { kind: 'defect', title: 'Weight 0 g on returns labels', description: '', state: 'triaged', declineReason: null, labels: ['quality'], estimate: 1, acceptanceCriteria: [], inputs: { businessValue: 3, timeCriticality: 2, riskReduction: 8, jobSize: 1 } },
    ],
  },
  'finance.invoices': {
    framework: 'value-effort',
    items: [
      { kind: 'request', title: 'VAT breakdown per invoice line', description: '', state: 'new', declineReason: null, labels: ['tax'], estimate: 5, acceptanceCriteria: [], inputs: { value: 9, effort: 6 }, requester: consumer },
      { kind: 'idea', title: 'Flag invoices paid late', description: '', state: 'new', declineReason: null, labels: ['kpi'], estimate: 1, acceptanceCriteria: [], inputs: { value: 7, effort: 2 } },
      { kind: 'request', title: 'Historic invoices before 2020', description: '', state: 'new', declineReason: null, labels: ['history'], estimate: 13, acceptanceCriteria: [], inputs: { value: 3, effort: 8 } },
    ],
  },
};

/**
 * Seeds the demo backlogs through the service's own CSV import (requesters matched by e-mail), then
 * picks each product's framework. Runs inside the demo transaction as `system:demo`.
 */
export async function seedDemoBacklogs(services: Services, actor: Actor): Promise<void> {
  for (const [productId, backlog] of Object.entries(demoBacklogs)) {
    const csv = writeBacklogCsv(backlog.items.map((item, index) => ({ ...item, number: index + 1, votes: 0, duplicateOf: null, createdAt: '', requester: item.requester ?? 'owner@demo.meshboard.local' })));
    await services.backlog.importItems(actor, productId, { format: 'csv', content: csv });
    const { settings, version } = await services.backlog.settings(productId);
    await services.backlog.updateSettings(actor, { productRef: productId, expectedVersion: version, settings: { ...settings, framework: backlog.framework } });
  }
}
