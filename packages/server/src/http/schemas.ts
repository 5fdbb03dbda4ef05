import { z } from '@hono/zod-openapi';
import { domainRoles } from '../store/Database';
import { pageLimits } from '../store/pagination';

/** A resource id (UUID v7 issued by the server). */
export const IdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '019a0000-0000-7000-8000-000000000000' }) });

/** `limit` and `cursor` of every list. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(pageLimits.max).optional().openapi({ description: `Page size, 1–${pageLimits.max} (default ${pageLimits.default}).` }),
  cursor: z.string().min(1).optional().openapi({ description: 'The nextCursor of the previous page, unchanged.' }),
});

/** Wraps an item schema into the list envelope `{"items":[…],"nextCursor":…}`. */
export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);
}

const slug = z
  .string()
  .min(1)
  .max(63)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'lower-case letters, digits and single hyphens, e.g. "customer-orders"');
const name = z.string().trim().min(1).max(200);
const description = z.string().max(10_000);
const timestamp = z.string().openapi({ format: 'date-time' });

/** A domain on the wire. */
export const Domain = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), description: z.string(), version: z.number().int(), createdAt: timestamp, updatedAt: timestamp })
  .openapi('Domain');
/** Body of POST /api/domains. */
export const DomainCreate = z.object({ slug, name, description: description.optional() }).strict().openapi('DomainCreate');
/** Body of PATCH /api/domains/{id}. */
export const DomainPatch = DomainCreate.partial().strict().openapi('DomainPatch');

/** A team on the wire. */
export const Team = z
  .object({ id: z.string(), slug: z.string(), name: z.string(), description: z.string(), domainId: z.string().nullable(), version: z.number().int(), createdAt: timestamp, updatedAt: timestamp })
  .openapi('Team');
/** Body of POST /api/teams. */
export const TeamCreate = z.object({ slug, name, description: description.optional(), domainId: z.string().uuid().nullable().optional() }).strict().openapi('TeamCreate');
/** Body of PATCH /api/teams/{id}. */
export const TeamPatch = TeamCreate.partial().strict().openapi('TeamPatch');

const role = z.enum(domainRoles);
const roleGrant = z.object({ domainId: z.string().uuid(), role }).strict();

/** A user on the wire (never a password hash). */
export const User = z
  .object({
    id: z.string(),
    email: z.string(),
    name: z.string(),
    isAdmin: z.boolean(),
    disabled: z.boolean(),
    hasPassword: z.boolean(),
    roles: z.array(z.object({ domainId: z.string(), role })),
    teamIds: z.array(z.string()),
    version: z.number().int(),
    createdAt: timestamp,
    updatedAt: timestamp,
  })
  .openapi('User');
const email = z.string().trim().max(320).email();
const password = z.string().max(1024).openapi({ description: 'At least 10 characters.' });
/** Body of POST /api/users. */
export const UserCreate = z
  .object({ email, name, password: password.optional(), isAdmin: z.boolean().optional(), roles: z.array(roleGrant).max(500).optional(), teamIds: z.array(z.string().uuid()).max(500).optional() })
  .strict()
  .openapi('UserCreate');
/** Body of PATCH /api/users/{id}. */
export const UserPatch = z
  .object({ email, name, password, isAdmin: z.boolean(), disabled: z.boolean(), roles: z.array(roleGrant).max(500), teamIds: z.array(z.string().uuid()).max(500) })
  .partial()
  .strict()
  .openapi('UserPatch');

/** An API token or session as listed (never the secret). */
export const Token = z
  .object({ id: z.string(), userId: z.string(), name: z.string(), kind: z.enum(['api', 'session']), prefix: z.string(), createdAt: timestamp, expiresAt: timestamp.nullable(), lastUsedAt: timestamp.nullable(), revokedAt: timestamp.nullable() })
  .openapi('Token');
/** A freshly issued secret with its token: the only time the secret is ever shown. */
export const IssuedToken = z.object({ token: z.string(), info: Token }).openapi('IssuedToken');
/** Body of POST /api/tokens. */
export const TokenCreate = z
  .object({ name, userId: z.string().uuid().optional(), expiresAt: z.string().datetime({ offset: true }).nullable().optional() })
  .strict()
  .openapi('TokenCreate');
/** Body of POST /api/auth/sign-in. */
export const SignIn = z.object({ email: z.string().trim().min(1).max(320), password: z.string().min(1).max(1024) }).strict().openapi('SignIn');

/** An audit event on the wire. */
export const AuditEvent = z
  .object({ id: z.string(), seq: z.string(), actorId: z.string().nullable(), actorLabel: z.string(), action: z.string(), entityType: z.string(), entityId: z.string(), before: z.unknown(), after: z.unknown(), createdAt: timestamp })
  .openapi('AuditEvent');

/** RFC 9457 problem document. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    problems: z.array(z.object({ pointer: z.string().optional(), parameter: z.string().optional(), detail: z.string() })).optional(),
    currentVersion: z.number().int().optional(),
    retryAfterSeconds: z.number().int().optional(),
  })
  .openapi('Problem');

/** The standard problem responses, to spread into a route's `responses`. */
export function problemResponses(...statuses: number[]) {
  const described: Record<number, string> = { 400: 'Invalid input', 401: 'Not authenticated', 403: 'Not allowed', 404: 'Not found', 409: 'Conflict', 412: 'Stale If-Match', 428: 'If-Match missing', 429: 'Too many attempts (see Retry-After)' };
  return Object.fromEntries(
    statuses.map((status) => [status, { description: described[status] ?? 'Error', content: { 'application/problem+json': { schema: Problem } } }]),
  );
}
