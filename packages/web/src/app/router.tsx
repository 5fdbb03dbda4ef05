/**
 * The route tree (code-based). Every page is loaded lazily, so the initial chunk holds the shell only.
 * `/authed` is a pathless layout: without a session it redirects to /sign-in?redirect=<where you were>.
 */
import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect } from '@tanstack/react-router';
import { AppShell } from '../components/AppShell';
import { ErrorState } from '../components/ErrorState';
import { Loading } from '../components/Loading';
import { NotFoundPage } from '../pages/NotFoundPage';
import { inboxFilters } from '../pages/inboxFilters';
import { backlogSearch } from '../pages/backlog/backlogSearch';
import { roadmapSearch } from '../pages/roadmap/roadmapSearch';
import { askSearch, coordinationSearch, demandInboxSearch } from '../pages/crossDomain/crossDomainSearch';
import { sprintSearch } from '../pages/sprints/sprintSearch';
import { searchFilters } from '../pages/searchFilters';
import { handleSessionExpired } from './api';
import { productQuery } from './queries';
import { getSession } from './session';

/** What every route can reach. */
export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: () => (
    <>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <Outlet />
    </>
  ),
  notFoundComponent: NotFoundPage,
});

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string } => (typeof search.redirect === 'string' ? { redirect: search.redirect } : {}),
  component: lazyRouteComponent(() => import('../pages/SignInPage'), 'SignInPage'),
});

const authedRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'authed',
  beforeLoad: ({ location }) => {
    if (getSession() === undefined) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
  },
  component: AppShell,
});

const homeRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/',
  component: lazyRouteComponent(() => import('../pages/HomePage'), 'HomePage'),
});

const domainRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/domains/$domainId',
  component: lazyRouteComponent(() => import('../pages/DomainPage'), 'DomainPage'),
});

const meRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/me',
  component: lazyRouteComponent(() => import('../pages/MePage'), 'MePage'),
});

const searchRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/search',
  validateSearch: searchFilters,
  component: lazyRouteComponent(() => import('../pages/SearchPage'), 'SearchPage'),
});

const accessRequestsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/access/requests',
  validateSearch: (search: Record<string, unknown>): { request?: string } => (typeof search.request === 'string' ? { request: search.request } : {}),
  component: lazyRouteComponent(() => import('../pages/access/AccessRequestsPage'), 'AccessRequestsPage'),
});

const accessInboxRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/access/inbox',
  validateSearch: (search: Record<string, unknown>): { request?: string } => (typeof search.request === 'string' ? { request: search.request } : {}),
  component: lazyRouteComponent(() => import('../pages/access/AccessInboxPage'), 'AccessInboxPage'),
});

const subscriptionsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/access/subscriptions',
  component: lazyRouteComponent(() => import('../pages/access/SubscriptionsPage'), 'SubscriptionsPage'),
});

const subscriptionRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/access/subscriptions/$subscriptionId',
  component: lazyRouteComponent(() => import('../pages/access/SubscriptionsPage'), 'SubscriptionPage'),
});

const notificationsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/notifications',
  component: lazyRouteComponent(() => import('../pages/NotificationsPage'), 'NotificationsPage'),
});

const accessRoutes = [accessRequestsRoute, accessInboxRoute, subscriptionsRoute, subscriptionRoute, notificationsRoute];

const productFeedbackRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId/feedback',
  component: lazyRouteComponent(() => import('../pages/ProductFeedbackPage'), 'ProductFeedbackPage'),
});

const feedbackInboxRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/inbox/feedback',
  validateSearch: inboxFilters,
  component: lazyRouteComponent(() => import('../pages/FeedbackInboxPage'), 'FeedbackInboxPage'),
});

const productRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId',
  // Starts the product's fetch alongside the page chunk's download (and on hover of a link to it), not
  // after it; not awaited, so the page shows its own loading and error states as before.
  loader: ({ context, params }) => void context.queryClient.prefetchQuery(productQuery(params.productId)),
  component: lazyRouteComponent(() => import('../pages/ProductPage'), 'ProductPage'),
});

const contractRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/contracts/$contractId',
  component: lazyRouteComponent(() => import('../pages/ContractPage'), 'ContractPage'),
});

const backlogRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId/backlog',
  validateSearch: backlogSearch,
  component: lazyRouteComponent(() => import('../pages/backlog/BacklogPage'), 'BacklogPage'),
});

const sprintsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId/sprints',
  component: lazyRouteComponent(() => import('../pages/sprints/SprintsPage'), 'SprintsPage'),
});

const sprintRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/sprints/$sprintId',
  validateSearch: sprintSearch,
  component: lazyRouteComponent(() => import('../pages/sprints/SprintPage'), 'SprintPage'),
});

const decisionsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId/decisions',
  component: lazyRouteComponent(() => import('../pages/sprints/DecisionsPage'), 'DecisionsPage'),
});

const visionRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId/vision',
  component: lazyRouteComponent(() => import('../pages/product-loop/VisionPage'), 'VisionPage'),
});

const productKpisRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId/kpis',
  component: lazyRouteComponent(() => import('../pages/product-loop/ProductKpisPage'), 'ProductKpisPage'),
});

const domainKpisRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/domains/$domainId/kpis',
  component: lazyRouteComponent(() => import('../pages/product-loop/DomainKpisPage'), 'DomainKpisPage'),
});

const roadmapRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId/roadmap',
  validateSearch: roadmapSearch,
  component: lazyRouteComponent(() => import('../pages/roadmap/RoadmapPage'), 'RoadmapPage'),
});

const releasesRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/products/$productId/releases',
  component: lazyRouteComponent(() => import('../pages/roadmap/ReleasesPage'), 'ReleasesPage'),
});

const releaseRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/releases/$releaseId',
  component: lazyRouteComponent(() => import('../pages/roadmap/ReleasePage'), 'ReleasePage'),
});

const roadmapRoutes = [roadmapRoute, releasesRoute, releaseRoute];

// Cross-domain requests and demands (issue 6).
const coordinationRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/coordination',
  validateSearch: coordinationSearch,
  component: lazyRouteComponent(() => import('../pages/crossDomain/CoordinationPage'), 'CoordinationPage'),
});

const demandInboxRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/demands',
  validateSearch: demandInboxSearch,
  component: lazyRouteComponent(() => import('../pages/crossDomain/DemandInboxPage'), 'DemandInboxPage'),
});

const myDemandsRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/demands/mine',
  component: lazyRouteComponent(() => import('../pages/crossDomain/DemandInboxPage'), 'MyDemandsPage'),
});

const askForDataRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/demands/new',
  validateSearch: askSearch,
  component: lazyRouteComponent(() => import('../pages/crossDomain/AskForDataPage'), 'AskForDataPage'),
});

const demandRoute = createRoute({
  getParentRoute: () => authedRoute,
  path: '/demands/$demandId',
  component: lazyRouteComponent(() => import('../pages/crossDomain/DemandPage'), 'DemandPage'),
});

const crossDomainRoutes = [coordinationRoute, demandInboxRoute, myDemandsRoute, askForDataRoute, demandRoute];

const routeTree = rootRoute.addChildren([signInRoute, authedRoute.addChildren([homeRoute, domainRoute, meRoute, searchRoute, ...accessRoutes, productRoute, productFeedbackRoute, backlogRoute, visionRoute, productKpisRoute, feedbackInboxRoute, contractRoute, domainKpisRoute, ...roadmapRoutes, ...crossDomainRoutes, sprintsRoute, sprintRoute, decisionsRoute])]);

/** Builds the router; a 401 from any API call ends the session and goes to sign-in, keeping the place. */
export function createAppRouter(queryClient: QueryClient) {
  const router = createRouter({
    routeTree,
    context: { queryClient },
    defaultPendingComponent: () => <Loading />,
    defaultErrorComponent: ({ error, reset }) => <ErrorState error={error} onRetry={reset} />,
    defaultPreload: 'intent',
    scrollRestoration: true,
  });
  handleSessionExpired(() => {
    queryClient.clear();
    const here = router.state.location.href;
    void router.navigate({ to: '/sign-in', search: here.startsWith('/sign-in') ? {} : { redirect: here } });
  });
  return router;
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
