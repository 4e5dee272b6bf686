import { Conflict, NotFound, RequestTransaction, type DataCategory, type RequestContext, type Tx } from '@app/kernel';
import { Injectable } from '@nestjs/common';
import { ClientRepository } from '../clients/client.repository.js';
import { sharedGround } from '../clients/client.service.js';
import { DOCUMENTS_PER_FILE, DocumentRepository, type ClientDocument, type NewDocument } from './document.repository.js';

/**
 * Documents on client files (a GPMI, a CV, a screening report). Client data under the one rule: the
 * owner's case workers add and read them; a partner reads one only while it may read the document's
 * category of the owner's file, and every read is audited with the ground that opened it. The content
 * is checked before it gets here (sniffed type, size); here it is owned, stored and audited.
 */
@Injectable()
export class DocumentService {
  constructor(
    private readonly documents: DocumentRepository,
    private readonly clients: ClientRepository,
    private readonly transaction: RequestTransaction,
  ) {}

  /** A document on the caller's own file on the person. */
  upload(ctx: RequestContext, personId: string, input: NewDocument): Promise<ClientDocument> {
    return this.transaction.run(ctx, async (tx) => {
      if (!(await this.clients.ownsFile(tx, personId))) throw new NotFound('client');
      if ((await this.documents.countOwn(tx, ctx, personId)) >= DOCUMENTS_PER_FILE)
        throw new Conflict('too-many-documents', 'file', { max: DOCUMENTS_PER_FILE });
      const document = await this.documents.insert(tx, ctx, personId, input);
      tx.audit({
        action: 'document.create',
        decision: 'ALLOW',
        resourceType: 'ClientDocument',
        resourceId: document.id,
        subjectPersonId: personId,
        ownerOrganisationId: ctx.organisationId,
        categories: [input.category],
        ground: { kind: 'OWNER' },
      });
      return document;
    });
  }

  /** The documents on a person the caller may read (its own file's, and partner files' under the rule). */
  list(ctx: RequestContext, personId: string): Promise<ClientDocument[]> {
    return this.transaction.run(ctx, async (tx) => {
      const documents = await this.documents.listForPerson(tx, personId);
      if (documents.length === 0 && (await this.clients.visibleFiles(tx, personId)).length === 0) throw new NotFound('client');
      // Names of documents are client data too: a list is an access to each file it shows documents of.
      for (const owner of new Set(documents.map((d) => d.organisationId))) {
        const categories = [...new Set(documents.filter((d) => d.organisationId === owner).map((d) => d.category))];
        await this.audit(tx, ctx, 'document.list', personId, owner, categories);
      }
      return documents;
    });
  }

  /** One document with its content, when the caller may read its category of its file. */
  download(ctx: RequestContext, documentId: string): Promise<ClientDocument & { content: Buffer }> {
    return this.transaction.run(ctx, async (tx) => {
      const document = await this.documents.withContent(tx, documentId);
      if (!document) throw new NotFound('document');
      await this.audit(tx, ctx, 'document.read', document.clientId, document.organisationId, [document.category], document.id);
      return document;
    });
  }

  private async audit(tx: Tx, ctx: RequestContext, action: string, personId: string, owner: string, categories: DataCategory[], resourceId?: string) {
    const ground =
      owner === ctx.organisationId
        ? { kind: 'OWNER' as const }
        : sharedGround(
            (await this.clients.visibleFiles(tx, personId)).find((f) => f.organisationId === owner)?.grounds.find((g) => categories.includes(g.category)),
          );
    tx.audit({
      action,
      decision: 'ALLOW',
      resourceType: 'ClientDocument',
      resourceId,
      subjectPersonId: personId,
      ownerOrganisationId: owner,
      categories,
      ground,
      ...(ground.kind === 'BREAK_GLASS' ? { flag: { organisationId: owner, kind: 'BREAK_GLASS' as const } } : {}),
    });
  }
}
