import type { Sprint } from '@meshboard/client';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, Link } from '@tanstack/react-router';
import { api } from '../../app/api';
import { ErrorState } from '../../components/ErrorState';
import { Loading } from '../../components/Loading';
import { useTitle } from '../../components/useTitle';
import { useCanTriage } from '../backlog/useCanTriage';
import { SprintBoard } from './SprintBoard';
import { SprintBurndown } from './SprintBurndown';
import { SprintPlanning } from './SprintPlanning';
import { SprintRetrospective } from './SprintRetrospective';
import { sprintStateLabels } from './sprintLabels';
import '../backlog/backlog.css';
import './sprints.css';

const route = getRouteApi('/authed/sprints/$sprintId');

/** One sprint: planning (capacity and scope), the board, the burndown and the retrospective. */
export function SprintPage() {
  const { sprintId } = route.useParams();
  const view = route.useSearch().view ?? 'plan';
  const sprint = useQuery({ queryKey: ['sprint', sprintId], queryFn: ({ signal }) => api.call('GET /api/sprints/{id}', { path: { id: sprintId } }, { signal }) });
  const product = useQuery({ queryKey: ['product', sprint.data?.productId], enabled: sprint.data !== undefined, queryFn: ({ signal }) => api.call('GET /api/products/{id}', { path: { id: sprint.data?.productId ?? '' } }, { signal }) });
  useTitle(sprint.data === undefined ? 'Sprint' : `${sprint.data.name} · Sprint`);
  const canWrite = useCanTriage(product.data?.domainId ?? '');
  if (sprint.isPending) return <Loading label="Loading the sprint…" />;
  if (sprint.isError) return <ErrorState error={sprint.error} onRetry={() => void sprint.refetch()} />;
  const data: Sprint = sprint.data;
  const tabs = [
    { view: 'plan' as const, label: 'Plan' },
    { view: 'board' as const, label: 'Board' },
    { view: 'burndown' as const, label: 'Burndown' },
    { view: 'retro' as const, label: 'Retrospective' },
  ];
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Home</Link> <span aria-hidden="true">/</span> <a href={`/products/${encodeURIComponent(data.productId)}`}>{product.data?.name ?? 'Product'}</a> <span aria-hidden="true">/</span>{' '}
        <Link to="/products/$productId/sprints" params={{ productId: data.productId }}>
          Sprints
        </Link>{' '}
        <span aria-hidden="true">/</span> <span aria-current="page">{data.name}</span>
      </nav>
      <h1>{data.name}</h1>
      <p className="meta">
        <span className={`badge sprint-${data.state}`}>{sprintStateLabels[data.state]}</span> {data.startDate} – {data.endDate}
        {data.goal !== '' && <> · Goal: {data.goal}</>}
      </p>
      <nav aria-label="Sprint views" className="backlog-tabs">
        {tabs.map((tab) => (
          <Link key={tab.view} to="/sprints/$sprintId" params={{ sprintId }} search={tab.view === 'plan' ? {} : { view: tab.view }} aria-current={tab.view === view ? 'page' : undefined} className={tab.view === view ? 'tab-current' : undefined} activeOptions={{ exact: true, includeSearch: true }}>
            {tab.label}
          </Link>
        ))}
      </nav>
      <div className="sprint-stack">
        {view === 'plan' && <SprintPlanning sprint={data} canWrite={canWrite} />}
        {view === 'board' && <SprintBoard sprint={data} canWrite={canWrite} />}
        {view === 'burndown' && <SprintBurndown sprint={data} />}
        {view === 'retro' && <SprintRetrospective sprint={data} canWrite={canWrite} />}
      </div>
    </>
  );
}
