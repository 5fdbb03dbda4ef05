import type { Kysely } from 'kysely';
import type { Database } from '../store/Database';
import { AuditService } from './AuditService';
import { AuthService } from './AuthService';
import { CheckRunService, type CheckRunOptions } from './CheckRunService';
import { ContractService } from './ContractService';
import { DomainService } from './DomainService';
import { ProductService } from './ProductService';
import { KpiService } from './productLoop/KpiService';
import { UsageEventService } from './productLoop/UsageEventService';
import { VisionService } from './productLoop/VisionService';
import { SearchService } from './SearchService';
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
  search: SearchService;
  visions: VisionService;
  usageEvents: UsageEventService;
  kpis: KpiService;
}

/** Options of {@link createServices}; check runs default to the working directory and `process.env`. */
export interface ServicesOptions {
  checkRuns?: CheckRunOptions;
}

/** Builds the {@link Services} over `db`. */
export function createServices(db: Kysely<Database>, options: ServicesOptions = {}): Services {
  return {
    auth: new AuthService(db),
    audit: new AuditService(db),
    checkRuns: new CheckRunService(db, options.checkRuns ?? { dataRoot: process.cwd(), env: process.env }),
    domains: new DomainService(db),
    teams: new TeamService(db),
    users: new UserService(db),
    contracts: new ContractService(db),
    products: new ProductService(db),
    search: new SearchService(db),
    visions: new VisionService(db),
    usageEvents: new UsageEventService(db),
    kpis: new KpiService(db),
  };
}
