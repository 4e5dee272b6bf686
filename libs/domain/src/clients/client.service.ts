import { CASEWORK_ROLES, DATA_CATEGORIES, RequestTransaction, type AuditGround, type DataCategory, type RequestContext, type Tx } from '@app/kernel';
import { subject } from '@casl/ability';
import { Injectable, Logger } from '@nestjs/common';
import { mayReadSection } from '@app/access';
import { Conflict, Forbidden, InvalidInput, NotFound, VersionMismatch } from '@app/kernel';
import { decodeCursorText, encodeCursor, invalidCursor, isCursorUuid } from '@app/kernel';
import { normaliseInsz, parseInsz } from '../shared/insz.js';
import {
  CATEGORY_KEY,
  SECTION_CATEGORIES,
  type ClientChanges,
  type ClientPage,
  type ClientQuery,
  type ClientView,
  type FileSections,
  type NewClient,
  type OwnFile,
  type SectionCategory,
  type SharedFile,
} from './client.js';
import { InvolvementService } from '../sharing/involvement.service.js';
import { ClientRepository, type IdentityRow, type SectionRow, type ShareGround } from './client.repository.js';

@Injectable()
export class ClientService {
  private readonly logger = new Logger('ClientService');

  constructor(
    private readonly clients: ClientRepository,
    private readonly involvements: InvolvementService,
    private readonly transaction: RequestTransaction,
  ) {}

  /**
   * Registers a client in the caller's organisation. Answers the same way whether or not another
   * organisation already knows the person: the person's id, and the caller's own new file.
   */
  register(ctx: RequestContext, input: NewClient): Promise<{ id: string; ownFile: OwnFile }> {
    if (!ctx.ability.can('create', 'ClientFile')) throw new Forbidden('forbidden');
    const insz = normaliseInsz(input.insz);
    assertBirthDateMatches(insz, input.birthDate);
    return this.transaction.run(ctx, async (tx) => {
      const personId = await this.clients.personFor(tx, insz);
      if (!(await this.clients.insertOwnFile(tx, ctx, personId))) throw new Conflict('client-already-registered', 'insz');
      await this.involvements.recordOwner(tx, ctx, personId);
      await this.clients.insertIdentity(tx, ctx, personId, { ...input, insz });
      const written: DataCategory[] = ['IDENTITY'];
      for (const category of SECTION_CATEGORIES) {
        const content = input[CATEGORY_KEY[category] as keyof NewClient];
        if (content && typeof content === 'object') {
          await this.clients.putSection(tx, ctx, personId, category, content);
          written.push(category);
        }
      }
      tx.audit({ action: 'client.register', decision: 'ALLOW', resourceType: 'ClientFile', subjectPersonId: personId, categories: written, ground: OWNER });
      const view = await this.read(tx, ctx, personId, false);
      return { id: personId, ownFile: view!.ownFile! };
    });
  }

  /** The caller's own file on the person, and what the sharing rule opens of other organisations' files. */
  get(ctx: RequestContext, personId: string): Promise<ClientView> {
    return this.transaction.run(ctx, async (tx) => {
      const view = await this.read(tx, ctx, personId);
      if (!view) throw new NotFound('client');
      return view;
    });
  }

  update(ctx: RequestContext, personId: string, changes: ClientChanges, expectedVersion: number): Promise<ClientView> {
    return this.transaction.run(ctx, async (tx) => {
      const files = await this.clients.visibleFiles(tx, personId, ctx);
      const own = files.find((f) => f.organisationId === ctx.organisationId);
      if (!own) throw new NotFound('client');
      if (!ctx.ability.can('update', subject('ClientFile', { organisationId: own.organisationId }))) throw new Forbidden('forbidden');
      if (expectedVersion !== own.version) throw new VersionMismatch(own.version);
      if (changes.birthDate !== undefined) {
        const [identity] = (await this.clients.readableIdentities(tx, [personId])).filter((i) => i.organisationId === ctx.organisationId);
        assertBirthDateMatches(identity.insz, changes.birthDate);
      }
      if (!(await this.clients.bumpVersion(tx, ctx, personId, own.version))) throw new VersionMismatch(own.version);
      await this.clients.updateIdentity(tx, ctx, personId, changes);
      const changed: DataCategory[] = changes.firstName || changes.lastName || changes.birthDate ? ['IDENTITY'] : [];
      const patched = SECTION_CATEGORIES.filter((category) => changes[CATEGORY_KEY[category] as keyof ClientChanges] !== undefined);
      const current = patched.some((category) => changes[CATEGORY_KEY[category] as keyof ClientChanges] !== null)
        ? (await this.clients.readableSections(tx, personId)).filter((section) => section.organisationId === ctx.organisationId)
        : [];
      for (const category of patched) {
        const patch = changes[CATEGORY_KEY[category] as keyof ClientChanges];
        const merged = patch === null ? {} : mergeSection(current.find((section) => section.category === category)?.content ?? {}, patch as object);
        if (Object.keys(merged).length === 0) await this.clients.deleteSection(tx, ctx, personId, category);
        else await this.clients.putSection(tx, ctx, personId, category, merged);
        changed.push(category);
      }
      tx.audit({
        action: 'client.update',
        decision: 'ALLOW',
        resourceType: 'ClientFile',
        resourceId: own.id,
        subjectPersonId: personId,
        categories: changed,
        ground: OWNER,
      });
      return (await this.read(tx, ctx, personId, false))!;
    });
  }

  /** A page of the persons the caller may see. Filtered in SQL; nothing is loaded to be dropped. */
  list(ctx: RequestContext, query: ClientQuery): Promise<ClientPage> {
    const afterId = query.cursor === undefined ? undefined : decodePersonCursor(query.cursor);
    const search = query.search?.trim();
    const insz = search && /^[\d.\-\s]+$/.test(search) ? normaliseInsz(search) : undefined;
    const name = search && insz === undefined ? search : undefined;
    if (!ctx.roles.some((role) => (CASEWORK_ROLES as readonly string[]).includes(role))) return this.officerLookup(ctx, query, { afterId, insz, name });
    return this.transaction.run(ctx, async (tx) => {
      const ids = await this.clients.page(tx, ctx, { afterId, limit: query.limit + 1, insz, name });
      const pageIds = ids.slice(0, query.limit);
      if (pageIds.length === 0) return { items: [], nextCursor: null };
      const { identities, own, partnerGrounds: grounds } = await this.clients.listView(tx, ctx, pageIds);
      // a person with a file of our own is listed on that ground, not a partner's
      const partnerGrounds = grounds.filter((g) => !own.has(g.personId));
      const items = pageIds.map((id) => {
        const candidates = identities.filter((i) => i.personId === id);
        const name = candidates.find((i) => i.organisationId === ctx.organisationId) ?? candidates[0];
        // Every person a list exposes is an access, with the ground that opened it.
        const shared = partnerGrounds.filter((g) => g.personId === id);
        const ground = own.has(id)
          ? OWNER
          : sharedGround(shared.find((g) => g.organisationId === name?.organisationId && g.category === 'IDENTITY') ?? shared[0]);
        const flagged = ground.kind === 'BREAK_GLASS' ? shared.find((g) => g.breakGlassId === ground.breakGlassId) : undefined;
        tx.audit({
          action: 'client.list',
          decision: 'ALLOW',
          resourceType: 'ClientFile',
          subjectPersonId: id,
          // whose identity the line shows: the caller's own file, or the partner's that opened it
          ownerOrganisationId: own.has(id) ? ctx.organisationId : (name?.organisationId ?? shared[0]?.organisationId),
          categories: name ? ['IDENTITY'] : [],
          ground,
          ...(flagged ? { flag: { organisationId: flagged.organisationId, kind: 'BREAK_GLASS' as const } } : {}),
        });
        return {
          id,
          ownFile: own.has(id),
          name: name ? { firstName: name.firstName, lastName: name.lastName, birthDate: name.birthDate, sourceOrganisationId: name.organisationId } : null,
        };
      });
      return { items, nextCursor: ids.length > query.limit ? encodeCursor(pageIds[pageIds.length - 1]) : null };
    });
  }

  /**
   * A privacy officer looks a person up to answer a citizen: by INSZ or name (a search is required; she
   * does not browse the files), among her own organisation's files, identity only. Each person found is
   * audited (`client.lookup`).
   */
  private officerLookup(ctx: RequestContext, query: ClientQuery, parsed: { afterId?: string; insz?: string; name?: string }): Promise<ClientPage> {
    if (parsed.insz === undefined && parsed.name === undefined) throw new InvalidInput([{ field: 'search', code: 'isDefined' }]);
    // She looks a person up by name, not the files by letter: at least one word of three letters or more.
    if (parsed.name !== undefined && !searchTerms(parsed.name).some((term) => term.length >= 3))
      throw new InvalidInput([{ field: 'search', code: 'search-too-broad' }]);
    return this.transaction.run(ctx, async (tx) => {
      const found = await this.clients.officerLookup(tx, { afterId: parsed.afterId, limit: query.limit + 1, insz: parsed.insz, name: parsed.name });
      const page = found.slice(0, query.limit);
      for (const person of page) {
        tx.audit({
          action: 'client.lookup',
          decision: 'ALLOW',
          resourceType: 'ClientFile',
          subjectPersonId: person.personId,
          ownerOrganisationId: ctx.organisationId,
          categories: ['IDENTITY'],
          ground: OWNER,
        });
      }
      return {
        items: page.map((p) => ({
          id: p.personId,
          ownFile: true,
          name: { firstName: p.firstName, lastName: p.lastName, birthDate: p.birthDate, sourceOrganisationId: ctx.organisationId },
        })),
        nextCursor: found.length > query.limit ? encodeCursor(page[page.length - 1].personId) : null,
      };
    });
  }

  /**
   * Reads what the caller may see of a person. SQL (the rule's predicate, and row-level security)
   * decides which rows are loaded; the per-record CASL rules must agree for every category shown. A
   * disagreement is a defect: the section is withheld and the disagreement logged (ids only).
   */
  private async read(tx: Tx, ctx: RequestContext, personId: string, audit = true): Promise<ClientView | undefined> {
    const { files, identities, sections, facts } = await this.clients.dossier(tx, ctx, personId);
    if (files.length === 0) return undefined;

    let ownFile: OwnFile | null = null;
    const shared: SharedFile[] = [];
    for (const file of files) {
      if (file.organisationId === ctx.organisationId) {
        if (!ctx.ability.can('read', subject('ClientFile', { organisationId: file.organisationId }))) continue;
        const content = sectionsOf(file.organisationId, identities, sections, DATA_CATEGORIES);
        ownFile = { organisationId: file.organisationId, version: file.version, createdAt: file.createdAt, updatedAt: file.updatedAt, ...content };
        if (audit) {
          tx.audit({
            action: 'client.read',
            decision: 'ALLOW',
            resourceType: 'ClientFile',
            resourceId: file.id,
            subjectPersonId: personId,
            categories: touched(content),
            ground: OWNER,
          });
        }
        continue;
      }
      const fileFacts = facts.get(file.organisationId)!;
      const allowed = DATA_CATEGORIES.filter((category) => {
        const sql = file.grounds.some((g) => g.category === category);
        const casl = mayReadSection(ctx, fileFacts, category);
        if (sql !== casl) {
          this.logger.error({ msg: 'sharing rule disagreement', requestId: ctx.requestId, owner: file.organisationId, category, sql, casl });
        }
        return sql && casl;
      });
      if (allowed.length === 0) continue;
      const content = sectionsOf(file.organisationId, identities, sections, allowed);
      shared.push({ organisationId: file.organisationId, ...content, withheld: DATA_CATEGORIES.filter((category) => !allowed.includes(category)) });
      if (audit) {
        // One event per ground: categories opened by different consents or agreements are told apart.
        const byGround = new Map<string, { ground: ShareGround; categories: DataCategory[] }>();
        const shown = file.grounds.filter((g) => allowed.includes(g.category) && touched(content).includes(g.category));
        for (const g of shown.length > 0 ? shown : [file.grounds.find((g) => allowed.includes(g.category))!]) {
          const entry = byGround.get(groundKey(g)) ?? { ground: g, categories: [] };
          if (shown.includes(g)) entry.categories.push(g.category);
          byGround.set(groundKey(g), entry);
        }
        for (const { ground, categories } of byGround.values()) {
          categories.sort((a, b) => DATA_CATEGORIES.indexOf(a) - DATA_CATEGORIES.indexOf(b));
          tx.audit({
            action: 'client.read',
            decision: 'ALLOW',
            resourceType: 'ClientFile',
            resourceId: file.id,
            subjectPersonId: personId,
            ownerOrganisationId: file.organisationId,
            categories,
            ground: sharedGround(ground),
            // every access under break-the-glass lands in the owning organisation's review queue
            ...(ground.breakGlassId ? { flag: { organisationId: file.organisationId, kind: 'BREAK_GLASS' as const } } : {}),
          });
        }
      }
    }
    if (!ownFile && shared.length === 0) return undefined;
    return { id: personId, purpose: ctx.purpose ?? null, ownFile, shared };
  }
}

const OWNER: AuditGround = { kind: 'OWNER' };

function groundKey(g: ShareGround): string {
  return `${g.involvementId}/${g.agreementId}/${g.consentId}/${g.breakGlassId}/${g.referralId}`;
}

/**
 * A section changed as a JSON Merge Patch (RFC 7396) of its fields: a field sent replaces the stored
 * one, a field sent as null is removed, a field not sent is kept. A field's value (an address, a job
 * target, a list) is replaced whole, so it is always valid as one.
 */
export function mergeSection(stored: object, patch: object): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...(stored as Record<string, unknown>) };
  for (const [field, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) delete merged[field];
    else merged[field] = value;
  }
  return merged;
}

/** The audit ground of an access a partner file's ground opened (break-the-glass told apart). */
export function sharedGround(g: ShareGround | undefined): AuditGround {
  if (!g) return { kind: 'SHARED' };
  if (g.breakGlassId) return { kind: 'BREAK_GLASS', breakGlassId: g.breakGlassId };
  return {
    kind: 'SHARED',
    involvementId: g.involvementId ?? undefined,
    agreementId: g.agreementId ?? undefined,
    consentId: g.consentId ?? undefined,
    referralId: g.referralId ?? undefined,
  };
}

/** The categories whose content a view actually returned. */
function touched(content: FileSections): DataCategory[] {
  return DATA_CATEGORIES.filter((category) => content[CATEGORY_KEY[category]] !== undefined);
}

function sectionsOf(owner: string, identities: IdentityRow[], sections: SectionRow[], categories: readonly DataCategory[]): FileSections {
  const result: FileSections = {};
  const identity = identities.find((i) => i.organisationId === owner);
  if (identity && categories.includes('IDENTITY')) {
    result.identity = { insz: identity.insz, firstName: identity.firstName, lastName: identity.lastName, birthDate: identity.birthDate };
  }
  for (const section of sections) {
    if (section.organisationId === owner && categories.includes(section.category)) result[CATEGORY_KEY[section.category as SectionCategory]] = section.content;
  }
  return result;
}

/** The INSZ encodes the birth date (unless it is unknown); a different one is a typing error to catch now. */
function assertBirthDateMatches(insz: string, birthDate: string): void {
  const facts = parseInsz(insz);
  if (typeof facts === 'object' && facts.birthDate && facts.birthDate !== birthDate) {
    throw new InvalidInput([{ field: 'birthDate', code: 'birth-date-mismatch', params: { expected: facts.birthDate } }]);
  }
}

/** Cursors are opaque to clients: the last person id of the previous page, base64url-encoded (encodeCursor). */
function decodePersonCursor(cursor: string): string {
  const id = decodeCursorText(cursor);
  if (!isCursorUuid(id)) throw invalidCursor();
  return id;
}

/**
 * The terms a name search looks for, as the database makes them (libs/access/sql/15-search.sql): folded,
 * split on anything but letters and digits, each once. `a-a-a` is the one term `a`.
 */
export function searchTerms(search: string): string[] {
  const folded = search.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  return [...new Set(folded.split(/[^\p{L}\p{N}]+/u).filter(Boolean))];
}
