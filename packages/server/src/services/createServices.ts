import type { Kysely } from 'kysely';
import { PostgresGrantExecutor, type GrantExecutor } from '../access/GrantExecutor';
import { AccessRequestService } from './AccessRequestService';
import { NotificationService } from './NotificationService';
import { SubscriptionService, type AccessOptions } from './SubscriptionService';
import type { Database } from '../store/Database';
import { AuditService } from './AuditService';
import { AuthService } from './AuthService';
import { BacklogService } from './BacklogService';
import { CheckRunService, type CheckRunOptions } from './CheckRunService';
import { ContractService } from './ContractService';
import { CrossDomainService } from './crossDomain/CrossDomainService';
import { DemandService } from './crossDomain/DemandService';
import { DomainService } from './DomainService';
import { FeedbackService, type FeedbackEvent } from './feedback/FeedbackService';
import { deliverFeedbackNotifications } from './feedback/feedbackNotifications';
import { ProductInsightService } from './ProductInsightService';
import { ProductService, type ProductReadBatching } from './ProductService';
import { LifecycleService } from './LifecycleService';
import { PublishService } from './PublishService';
import { KpiService } from './productLoop/KpiService';
import { ReleaseService } from './roadmap/ReleaseService';
import { RoadmapService } from './roadmap/RoadmapService';
import { UsageEventService } from './productLoop/UsageEventService';
import { VisionService } from './productLoop/VisionService';
import { SearchService, type SearchServiceOptions } from './SearchService';
import { DecisionService } from './sprints/DecisionService';
import { RetrospectiveService } from './sprints/RetrospectiveService';
import { SprintService } from './sprints/SprintService';
import { TeamService } from './TeamService';
import { UserService } from './UserService';

/** Every service over one database; built once at start-up (no module-level singletons). */
export interface Services {
  auth: AuthService;
  audit: AuditService;
  checkRuns: CheckRunService;
  domains: DomainService;
  teams: TeamService;
  users: UserService;
  contracts: ContractService;
  products: ProductService;
  /** Batch publish of many contracts and products (issue 4). */
  publish: PublishService;
  productInsights: ProductInsightService;
  search: SearchService;
  accessRequests: AccessRequestService;
  subscriptions: SubscriptionService;
  notifications: NotificationService;
  feedback: FeedbackService;
  backlog: BacklogService;
  crossDomain: CrossDomainService;
  demands: DemandService;
  visions: VisionService;
  usageEvents: UsageEventService;
  kpis: KpiService;
  lifecycle: LifecycleService;
  roadmap: RoadmapService;
  releases: ReleaseService;
  sprints: SprintService;
  retrospectives: RetrospectiveService;
  decisions: DecisionService;
}

/** Options of {@link createServices}; check runs default to the working directory and `process.env`. */
export interface ServicesOptions {
  checkRuns?: CheckRunOptions;
  /** Access requests and subscriptions: where GRANTs run (default: none configured), the clock. */
  access?: Partial<AccessOptions> & { grants?: GrantExecutor };
  /**
   * Called after a feedback mutation committed. Default: deliver it as in-app notifications
   * (feedback/feedbackNotifications), reporting failures to `onBackgroundError`.
   */
  onFeedbackEvent?: (event: FeedbackEvent) => void;
  /** The search service's in-memory index (default: built when the server calls `search.startIndex()`). */
  search?: SearchServiceOptions;
  /** Where failures of work done after a commit (e.g. notifications) are reported (default: ignored). */
  onBackgroundError?: (error: unknown) => void;
  /** How `GET /api/products/{id}` coalesces concurrent reads (default: `defaultProductReadBatching` in ProductService). */
  productReads?: ProductReadBatching;
}

/** Builds the {@link Services} over `db`. */
export function createServices(db: Kysely<Database>, options: ServicesOptions = {}): Services {
  const access: AccessOptions = { ...options.access, grants: options.access?.grants ?? new PostgresGrantExecutor([]) };
  const subscriptions = new SubscriptionService(db, access);
  const backlog = new BacklogService(db);
  return {
    auth: new AuthService(db),
    audit: new AuditService(db),
    checkRuns: new CheckRunService(db, options.checkRuns ?? { dataRoot: process.cwd(), env: process.env }),
    domains: new DomainService(db),
    teams: new TeamService(db),
    users: new UserService(db),
    contracts: new ContractService(db),
    products: new ProductService(db, undefined, options.productReads),
    publish: new PublishService(db),
    productInsights: new ProductInsightService(db),
    search: new SearchService(db, { onError: options.onBackgroundError, ...options.search }),
    accessRequests: new AccessRequestService(db, subscriptions, access),
    subscriptions,
    notifications: new NotificationService(db),
    feedback: new FeedbackService(
      db,
      options.onFeedbackEvent ??
        ((event) => {
          deliverFeedbackNotifications(db, event).catch((error: unknown) => options.onBackgroundError?.(error));
        }),
    ),
    backlog,
    crossDomain: new CrossDomainService(db, backlog),
    demands: new DemandService(db, backlog),
    visions: new VisionService(db),
    usageEvents: new UsageEventService(db),
    kpis: new KpiService(db),
    lifecycle: new LifecycleService(db, { ...(options.access?.now === undefined ? {} : { now: options.access.now }) }),
    roadmap: new RoadmapService(db),
    releases: new ReleaseService(db),
    sprints: new SprintService(db),
    retrospectives: new RetrospectiveService(db),
    decisions: new DecisionService(db),
  };
}
