import { Ctx } from '@app/auth';
import { DATA_CATEGORIES, type RequestContext } from '@app/kernel';
import { Requires } from '@app/access';
import { NOTIFICATION_KINDS, NoteService, NotificationService, type CaseNote, type Notification } from '@app/domain';
import { Body, Controller, Get, HttpCode, Post, Query, Req } from '@nestjs/common';
import { Transform } from 'class-transformer';
import type { FastifyRequest } from 'fastify';
import { type Locale } from '../http/i18n/messages.js';
import { notificationLink, notificationTitle } from '../notifications/notification-text.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, PageCursor, PageLimit } from '../http/paging.js';
import { negotiateLocale } from '../http/problem.js';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';
import { ApiProblems } from '../http/openapi.js';
import { UuidParam } from '../http/params.js';
import { StaffCardDto } from '../users/dto/user.dto.js';
import { MultilineText } from '../http/validators.js';

export class CreateNoteDto {
  @ApiProperty({ enum: DATA_CATEGORIES, description: 'What the note is about; it is shared only where that category may be read' })
  @IsIn(DATA_CATEGORIES)
  category: (typeof DATA_CATEGORIES)[number];
  @ApiProperty({ enum: ['INTERNAL', 'SHARED'], description: 'INTERNAL: your organisation only; SHARED: the trajectory participants' })
  @IsIn(['INTERNAL', 'SHARED'])
  visibility: 'INTERNAL' | 'SHARED';
  @ApiProperty({ minLength: 1, maxLength: 8000 }) @IsString() @MinLength(1) @MaxLength(8000) @MultilineText() body: string;
  @ApiPropertyOptional({ format: 'uuid', description: 'On POST /clients/:id/notes: the trajectory the note belongs to' })
  @IsOptional()
  @IsUUID()
  trajectoryId?: string;
}

export class CaseNoteDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'uuid' }) clientId: string;
  @ApiProperty({ format: 'uuid' }) organisationId: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) trajectoryId: string | null;
  @ApiProperty({ format: 'uuid' }) authorUserId: string;
  @ApiProperty({ type: () => StaffCardDto, nullable: true, description: "the author's contact card" }) author: StaffCardDto | null;
  @ApiProperty({ enum: DATA_CATEGORIES }) category: string;
  @ApiProperty({ enum: ['INTERNAL', 'SHARED'] }) visibility: string;
  @ApiProperty() body: string;
  @ApiProperty() createdAt: Date;
}

export class NotificationDto {
  @ApiProperty({ format: 'uuid', maxLength: 36 }) id: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind: string;
  @ApiProperty({ maxLength: 200, example: 'Nieuwe doorverwijzing ontvangen', description: 'What happened, in your language' }) title: string;
  @ApiProperty({ maxLength: 100, nullable: true, type: String, example: '/handovers/6f2b…', description: 'The API path of what it is about' })
  link: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String }) referralId: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String }) agreementId: string | null;
  @ApiProperty({ format: 'uuid', maxLength: 36, nullable: true, type: String }) clientId: string | null;
  @ApiProperty({ type: String, format: 'date-time', maxLength: 30 }) createdAt: Date;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', maxLength: 30 }) readAt: Date | null;
}

export class NotificationPageDto {
  @ApiProperty({ type: [NotificationDto], maxItems: MAX_PAGE_SIZE }) items: NotificationDto[];
  @ApiProperty({ type: String, nullable: true, maxLength: 300, description: 'Send as cursor for the next page; null on the last page' }) nextCursor:
    string | null;
  @ApiProperty({ description: 'Your unread notifications, over all pages' }) unread: number;
}

export class NotificationQueryDto {
  @ApiPropertyOptional({ type: Boolean, description: 'Only the unread ones' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;
  @PageLimit() limit?: number;
  @PageCursor() cursor?: string;
}

/** A notification as its reader sees it: a title in the reader's language and the path of what it is about. */
function readable(n: Notification, locale: Locale): NotificationDto {
  return { ...n, title: notificationTitle(n.kind, locale), link: notificationLink(n) };
}

@ApiTags('Notes and notifications')
@Controller()
export class NotesController {
  constructor(
    private readonly notes: NoteService,
    private readonly notifications: NotificationService,
  ) {}

  @Post('clients/:id/notes')
  @Requires('note.create')
  @ApiOperation({ summary: 'Add a case note on a person (your own file), or on a trajectory you take part in' })
  @ApiCreatedResponse({ type: CaseNoteDto })
  @ApiProblems(400, 401, 403, 404, 413)
  addForClient(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: CreateNoteDto): Promise<CaseNote> {
    return this.notes.add(ctx, id, body);
  }

  @Get('clients/:id/notes')
  @Requires('note.read')
  @ApiOperation({ summary: "Notes on a person you may see: your organisation's, and shared ones of trajectories you take part in" })
  @ApiOkResponse({ type: [CaseNoteDto] })
  @ApiProblems(400, 401, 403, 404)
  listForClient(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<CaseNote[]> {
    return this.notes.listForClient(ctx, id);
  }

  @Post('trajectories/:id/notes')
  @Requires('note.create')
  @ApiOperation({ summary: 'Add a note on a trajectory you take part in' })
  @ApiCreatedResponse({ type: CaseNoteDto })
  @ApiProblems(400, 401, 403, 404, 413)
  async addForTrajectory(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Body() body: CreateNoteDto): Promise<CaseNote> {
    return this.notes.addToTrajectory(ctx, id, body);
  }

  @Get('trajectories/:id/notes')
  @Requires('note.read')
  @ApiOperation({ summary: 'Notes on a trajectory you take part in' })
  @ApiOkResponse({ type: [CaseNoteDto] })
  @ApiProblems(400, 401, 403, 404)
  listForTrajectory(@Ctx() ctx: RequestContext, @UuidParam() id: string): Promise<CaseNote[]> {
    return this.notes.listForTrajectory(ctx, id);
  }

  @Get('notifications')
  @Requires('notification.read')
  @ApiOperation({ summary: 'Your notifications, newest first, a page at a time, each with a title in your language and a link to what it is about' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiProblems(400, 401)
  async listNotifications(@Ctx() ctx: RequestContext, @Query() query: NotificationQueryDto, @Req() request: FastifyRequest): Promise<NotificationPageDto> {
    const page = await this.notifications.page(ctx, { limit: query.limit ?? DEFAULT_PAGE_SIZE, cursor: query.cursor, unread: query.unread });
    const locale = negotiateLocale(request);
    return { ...page, items: page.items.map((n) => readable(n, locale)) };
  }

  @Post('notifications/:id/read')
  @HttpCode(200)
  @Requires('notification.update')
  @ApiOperation({ summary: 'Mark one of your notifications read' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiProblems(400, 401, 404)
  async markRead(@Ctx() ctx: RequestContext, @UuidParam() id: string, @Req() request: FastifyRequest): Promise<NotificationDto> {
    return readable(await this.notifications.markRead(ctx, id), negotiateLocale(request));
  }
}
