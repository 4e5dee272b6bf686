import { Ctx } from '@app/auth';
import { PURPOSE_HEADER, PURPOSES, type RequestContext } from '@app/kernel';
import { Requires } from '@app/access';
import {
  BreakGlassService,
  ClientService,
  ConsentService,
  InvolvementService,
  type BreakGlassReceipt,
  type ClientPage,
  type ClientView,
  type Consent,
  type Involvement,
} from '@app/domain';
import { Body, Controller, Get, Headers, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { etagFor, requiredVersion } from '../http/etag.js';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { BreakGlassDto, BreakGlassReceiptDto, ConsentDto, CreateConsentDto, CreateInvolvementDto, InvolvementDto } from '../sharing/dto/sharing.dto.js';
import { DEFAULT_PAGE_SIZE } from '../http/paging.js';
import { ClientPageDto, ClientQueryDto, ClientViewDto, CreateClientDto, RegisteredClientDto, UpdateClientDto } from './dto/client.dto.js';

/** Documents the purpose header on every route that may show another organisation's data. */
const PurposeHeader = () =>
  ApiHeader({
    name: PURPOSE_HEADER,
    required: false,
    enum: PURPOSES,
    description: 'Why you read partner data. Without it you see your own files only; a purpose not covered shows nothing of partner files.',
  });

@ApiTags('Clients')
@Controller('clients')
export class ClientsController {
  constructor(
    private readonly clients: ClientService,
    private readonly involvements: InvolvementService,
    private readonly consents: ConsentService,
    private readonly breakGlass: BreakGlassService,
  ) {}

  @Post()
  @Requires('client.create')
  @ApiOperation({ summary: "Register a client in your organisation (creates your own file; the person's id is shared by all organisations)" })
  @ApiCreatedResponse({ type: RegisteredClientDto })
  @ApiProblems(400, 401, 403, 409, 413)
  async register(@Ctx() ctx: RequestContext, @Body() body: CreateClientDto, @Res({ passthrough: true }) response: FastifyReply) {
    const created = await this.clients.register(ctx, body);
    response.header('Location', `/clients/${created.id}`).header('ETag', etagFor(created.ownFile.version));
    return created;
  }

  @Get()
  @Requires('client.lookup')
  @PurposeHeader()
  @ApiOperation({
    summary:
      'Your clients and the partner clients the sharing rule opens to you, one page at a time (person id order). A privacy officer looks up (search required) her organisation’s clients, identity only.',
  })
  @ApiOkResponse({ type: ClientPageDto })
  @ApiProblems(400, 401, 403)
  list(@Ctx() ctx: RequestContext, @Query() query: ClientQueryDto): Promise<ClientPage> {
    return this.clients.list(ctx, { search: query.search, cursor: query.cursor, limit: query.limit ?? DEFAULT_PAGE_SIZE });
  }

  @Get(':id')
  @Requires('client.read')
  @PurposeHeader()
  @ApiOperation({ summary: 'Your own file on the person, and per partner file the categories you may read (the others listed as withheld)' })
  @ApiOkResponse({ type: ClientViewDto })
  @ApiProblems(400, 401, 403, 404)
  async get(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Res({ passthrough: true }) response: FastifyReply): Promise<ClientView> {
    const view = await this.clients.get(ctx, id);
    if (view.ownFile) response.header('ETag', etagFor(view.ownFile.version));
    return view;
  }

  @Patch(':id')
  @Requires('client.update')
  @ApiOperation({
    summary:
      'Change your own file: identity fields (not the INSZ), and sections as a JSON Merge Patch (RFC 7396): a field sent replaces it, a field sent as null removes it, a section sent as null removes the section',
  })
  @ApiHeader({ name: 'If-Match', required: true, description: 'ETag from a previous read; a stale one is a 412, none a 428' })
  @ApiOkResponse({ type: ClientViewDto })
  @ApiProblems(400, 401, 403, 404, 412, 413, 428)
  async update(
    @Ctx() ctx: RequestContext,
    @UuidParam() id: string,
    @Body() body: UpdateClientDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Res({ passthrough: true }) response: FastifyReply,
  ): Promise<ClientView> {
    const view = await this.clients.update(ctx, id, body, requiredVersion(ifMatch));
    response.header('ETag', etagFor(view.ownFile!.version));
    return view;
  }

  @Post(':id/involvements')
  @Requires('involvement.create')
  @ApiOperation({ summary: "Record a partner organisation's involvement in your client's trajectory" })
  @ApiCreatedResponse({ type: InvolvementDto })
  @ApiProblems(400, 401, 403, 404, 409, 413)
  addInvolvement(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: CreateInvolvementDto): Promise<Involvement> {
    return this.involvements.add(ctx, id, body);
  }

  @Get(':id/involvements')
  @Requires('involvement.read')
  @ApiOperation({ summary: 'Involvements in the trajectory that your organisation holds or recorded' })
  @ApiOkResponse({ type: [InvolvementDto] })
  @ApiProblems(400, 401, 403, 404)
  listInvolvements(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Involvement[]> {
    return this.involvements.list(ctx, id);
  }

  @Post(':id/consents')
  @Requires('consent.create')
  @ApiOperation({ summary: "Record the client's consent, or a notice that the client was informed (immutable once recorded)" })
  @ApiCreatedResponse({ type: ConsentDto })
  @ApiProblems(400, 401, 403, 404, 413)
  recordConsent(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: CreateConsentDto): Promise<Consent> {
    return this.consents.record(ctx, id, body);
  }

  @Get(':id/consents')
  @Requires('consent.read')
  @ApiOperation({ summary: 'Consents and notices your organisation recorded for the client, newest first' })
  @ApiOkResponse({ type: [ConsentDto] })
  @ApiProblems(400, 401, 403, 404)
  listConsents(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<Consent[]> {
    return this.consents.list(ctx, id);
  }

  @Post(':id/break-glass')
  @Requires('breakGlass.create')
  @ApiOperation({
    summary: 'Emergency access (social workers and mediators): open categories of partner files for a time box, with a justification; flagged for review',
  })
  @ApiCreatedResponse({ type: BreakGlassReceiptDto })
  @ApiProblems(400, 401, 403, 413)
  requestBreakGlass(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: BreakGlassDto): Promise<BreakGlassReceipt> {
    return this.breakGlass.request(ctx, id, body);
  }
}
